package ai.payable.core.testing;

import java.io.File;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium driven headless through its chromedriver, for the tests of the pages people open. */
public final class HeadlessChromium {

  private static final File DRIVER = new File("/usr/bin/chromedriver");
  private static final File BINARY = new File("/usr/bin/chromium");

  private HeadlessChromium() {}

  /** A new browser with a window of {@code width} × {@code height} CSS pixels that keeps the page's console log. */
  public static ChromeDriver start(int width, int height) {
    if (!DRIVER.canExecute() || !BINARY.canExecute()) {
      throw new IllegalStateException("Chromium is not installed: run `make chromium` (apt-get install chromium chromium-driver; make test does)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=" + width + "," + height);
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).build(), options);
  }
}
