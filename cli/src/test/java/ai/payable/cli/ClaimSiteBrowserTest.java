package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.testing.HeadlessChromium;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.DistributorGovernance;
import ai.payable.rewards.chain.DistributorState;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.LocalAnvil;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.web3j.crypto.WalletUtils;

/**
 * The contributors' claim page in a real browser: a nightly run pays a day on anvil, its root is
 * accepted, {@code payable rewards site} writes the page, and headless Chromium opens it with an
 * EIP-1193 wallet backed by anvil (claim-site/test/injected-provider.js) for a contributor's
 * account. The contributor sees the right amounts and why they were paid, declines once, claims,
 * and sees nothing more to claim; a wrong network, an account with no reward and a paused
 * distributor each say so; the page fits a phone. Screenshots of each state go to
 * {@code cli/target/claim-site-screenshots/}.
 */
class ClaimSiteBrowserTest extends SparkTestBase {

  private static final Path SCREENSHOTS = Path.of("target", "claim-site-screenshots").toAbsolutePath();

  @Test
  void aContributorSeesWhyTheyWerePaidAndClaimsFromTheirWallet() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    try (LocalAnvil anvil = LocalAnvil.start(repo, Files.createDirectories(scratch.resolve("anvil")))) {
      EvmClient admin = new EvmClient(anvil.web3, anvil.accounts.get(0), anvil.chainId, 50);
      EvmClient guardian = new EvmClient(anvil.web3, anvil.accounts.get(2), anvil.chainId, 50);
      NightlyFixture fixture = NightlyFixture.create(lakehouse, scratch, Address.parse(anvil.accounts.get(4).getAddress()).checksummed());
      String token = DistributorDeployment.deployTestToken(admin);
      String distributor = DistributorDeployment.deploy(admin, token, new DistributorDeployment.Roles(admin.from(), anvil.accounts.get(1).getAddress(),
          guardian.from()), DistributorDeployment.MIN_TIMELOCK, Duration.ofDays(2)).distributor();
      admin.execute(token, admin.testToken(token).mint(distributor, BigInteger.TEN.pow(24)));
      Path keys = Files.createDirectories(scratch.resolve("keys"));
      String updaterKeystore = keys.resolve(WalletUtils.generateWalletFile(Cli.KEYSTORE_PASSWORD, anvil.accounts.get(1).getEcKeyPair(), keys.toFile(),
          false)).toString();
      LocalDate day = LocalDate.ofInstant(DistributorState.read(admin, distributor).chainTime(), ZoneOffset.UTC).minusDays(1);
      NightlyFixture.land(scratch.resolve("landing"), day, fixture.answers(day, 6, 0));

      // The nightly run of the day, then the next night's acceptance.
      String lh = lakehouse.root().toString();
      String[] chain = {"--rpc", anvil.url, "--chain-id", String.valueOf(anvil.chainId), "--distributor", distributor};
      run("ingest", "inferences", "--lakehouse", lh, "--landing", scratch.resolve("landing").toString());
      run("attribute", "--lakehouse", lh, "--epoch", day.toString(), "--treasury", Address.parse(anvil.accounts.get(3).getAddress()).checksummed(),
          "--cache", scratch.resolve("cache").toString());
      run(with(chain, "rewards", "build", "--lakehouse", lh, "--epoch", day.toString(), "--artifacts", scratch.resolve("distributions").toString()));
      run(with(chain, "rewards", "propose", "--lakehouse", lh, "--epoch", day.toString(), "--keystore", updaterKeystore));
      anvil.increaseTime(Duration.ofHours(2).toSeconds());
      run(with(chain, "rewards", "accept", "--lakehouse", lh, "--keystore", updaterKeystore));
      Path site = scratch.resolve("site");
      Cli.Run written = run(with(chain, "rewards", "site", "--lakehouse", lh, "--accepted", "--out", site.toString()));
      assertTrue(written.out().startsWith("claim site of " + day + " (root ") && written.out().contains(", accepted) in " + site), written.out());
      assertTrue(written.out().contains("open it: python3 -m http.server --directory " + site + " 8000"), written.out());

      // The best-paid data contributor claims in the browser; the adapter's builder, paid too, meets the paused distributor.
      List<Row> paid = lakehouse.read(Tables.EPOCH_REWARDS).where("role = 'data'").orderBy(org.apache.spark.sql.functions.desc("amount_wei"))
          .limit(1).collectAsList();
      String alice = Address.parse(paid.get(0).getString(1)).checksummed();
      BigInteger owed = ((BigDecimal) paid.get(0).get(3)).toBigIntegerExact();
      String bob = Address.parse(anvil.accounts.get(4).getAddress()).checksummed();
      // The CLI reads the same shards as the page.
      Cli.Run offline = Cli.run("claim", "--account", alice, "--distribution", site.toString(), "--offline");
      assertEquals(0, offline.code(), offline.err());
      assertTrue(offline.out().contains("(" + owed + " wei)") && offline.out().contains("proof         checked"), offline.out());
      assertTrue(Files.size(site.resolve("proofs/" + alice.substring(2, 3).toLowerCase(java.util.Locale.ROOT) + ".json")) < 50_000,
          "a claimant downloads kilobytes");

      anvil.impersonate(alice);
      anvil.impersonate(bob);
      Files.createDirectories(SCREENSHOTS);
      HttpServer server = serve(site);
      ChromeDriver browser = HeadlessChromium.start(1280, 1600);
      try {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        String provider = Files.readString(repo.resolve("claim-site/test/injected-provider.js"));

        Wallet wallet = new Wallet(browser, provider, anvil.url);
        wallet.open(url, alice, anvil.chainId);
        browser.findElement(By.id("connect")).click();
        awaitState(browser, "ready");
        assertEquals(owed.toString(), browser.findElement(By.id("cumulative")).getAttribute("data-wei"));
        assertEquals("0", browser.findElement(By.id("claimed")).getAttribute("data-wei"));
        assertEquals(owed.toString(), browser.findElement(By.id("claimable")).getAttribute("data-wei"));
        String page = browser.findElement(By.tagName("body")).getText();
        assertTrue(page.contains("Proof checked in your browser against the on-chain root"), page);
        String question = fixture.records.stream().map(r -> r.<String>getAs("prompt")).filter(page::contains).findFirst().orElse(null);
        assertTrue(question != null, "the page shows the questions whose answers used the contributor's records: " + page);
        assertTrue(page.contains("DataNet contracts"), "and the records, with their DataNet: " + page);
        shoot(browser, "1-ready");

        browser.executeScript("window.__payableTestWallet.reject = true");
        browser.findElement(By.id("claim")).click();
        awaitState(browser, "rejected");
        assertEquals(BigInteger.ZERO, admin.read(admin.distributor(distributor).claimed(alice)), "a declined claim sends nothing");
        shoot(browser, "2-declined");

        browser.executeScript("window.__payableTestWallet.reject = false");
        browser.findElement(By.id("claim")).click();
        awaitState(browser, "claimed");
        assertEquals(owed, admin.read(admin.erc20(token).balanceOf(alice)), "the wallet received what it was owed");
        assertEquals("0", browser.findElement(By.id("claimable")).getAttribute("data-wei"));
        shoot(browser, "3-claimed");

        wallet.open(url, alice, anvil.chainId);
        browser.findElement(By.id("connect")).click();
        awaitState(browser, "nothing-to-claim");
        shoot(browser, "4-nothing-to-claim");

        wallet.open(url, alice, 1);
        browser.findElement(By.id("connect")).click();
        awaitState(browser, "wrong-network");
        assertTrue(status(browser).contains(String.valueOf(anvil.chainId)), status(browser));
        shoot(browser, "5-wrong-network");

        String stranger = Address.parse("0x" + "5a".repeat(20)).checksummed();
        wallet.open(url, stranger, anvil.chainId);
        browser.findElement(By.id("connect")).click();
        awaitState(browser, "no-reward");
        shoot(browser, "6-no-reward");

        new DistributorGovernance(guardian, distributor).setPaused(true).orElseThrow().send(guardian);
        wallet.open(url, bob, anvil.chainId);
        browser.findElement(By.id("connect")).click();
        awaitState(browser, "paused");
        assertTrue(!browser.findElement(By.id("claim")).isEnabled() || !browser.findElement(By.id("claim")).isDisplayed(), "no claim while paused");
        shoot(browser, "7-paused");
        new DistributorGovernance(guardian, distributor).setPaused(false).orElseThrow().send(guardian);

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(375, 812));
        wallet.open(url, bob, anvil.chainId);
        browser.findElement(By.id("connect")).sendKeys(org.openqa.selenium.Keys.ENTER);
        awaitState(browser, "ready");
        Number width = (Number) browser.executeScript("return document.documentElement.scrollWidth");
        assertTrue(width.intValue() <= 375, "no horizontal scrolling on a phone: " + width);
        shoot(browser, "8-phone");
      } finally {
        browser.quit();
        server.stop(0);
      }
    }
  }

  /** The test wallet: the provider script with its settings, run before the page's own scripts. */
  private static final class Wallet {
    private final ChromeDriver browser;
    private final String provider;
    private final String rpc;
    private String installed;

    Wallet(ChromeDriver browser, String provider, String rpc) {
      this.browser = browser;
      this.provider = provider;
      this.rpc = rpc;
    }

    void open(String url, String account, long chainId) {
      if (installed != null) {
        browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", installed));
      }
      String settings = "window.__payableTestWallet = {rpcUrl: '" + rpc + "', account: '" + account + "', chainId: " + chainId + ", reject: false};\n";
      installed = (String) browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", settings + provider)).get("identifier");
      browser.get(url);
      // As a person would: the connect button is enabled only once the page has read its distribution (site.json).
      await(Duration.ofSeconds(30), () -> browser.findElement(By.id("connect")).isEnabled(),
          () -> "the page did not load its distribution within 30 s: " + status(browser));
    }
  }

  private static Cli.Run run(String... args) {
    Cli.Run r = Cli.run(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
    return r;
  }

  private static String[] with(String[] chain, String... command) {
    return Stream.concat(Stream.of(command), Stream.of(chain)).toArray(String[]::new);
  }

  private static String status(ChromeDriver browser) {
    return browser.findElement(By.id("status")).getText();
  }

  private static void awaitState(ChromeDriver browser, String state) {
    await(Duration.ofSeconds(60), () -> state.equals(browser.executeScript("return document.body.dataset.state")),
        () -> "the page is in state " + browser.executeScript("return document.body.dataset.state") + ", not " + state + ": " + status(browser)
            + "\nstates: " + browser.executeScript("return JSON.stringify(window.__payableStates || [])"));
  }

  /** Polls {@code done} until it holds, failing with {@code failure} after {@code patience}. */
  private static void await(Duration patience, BooleanSupplier done, Supplier<String> failure) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
  }

  private static void shoot(ChromeDriver browser, String name) throws IOException {
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    assertTrue(Files.size(file) > 10_000, "a real screenshot: " + file);
  }

  /** The site folder over HTTP, as any static web server would serve it. */
  private static HttpServer serve(Path site) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      Path file = site.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
      if (!file.startsWith(site) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      String name = file.getFileName().toString();
      String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css"
          : "application/json";
      byte[] body = Files.readAllBytes(file);
      exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }
}
