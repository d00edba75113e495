package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.testing.SparkTestBase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo's whole path at a reduced size, through the same {@code payable demo} command: ingest,
 * train (tiny specs), answer, attribute, pay on a real anvil, claim twice, report; then the
 * researchers' notebooks run headless against the lakehouse it leaves.
 */
class EndToEndTest extends SparkTestBase {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theNightlyPathRunsEndToEndAndTheNotebooksRunOnItsLakehouse() throws Exception {
    Path lh = scratch.resolve("lakehouse");
    Path work = scratch.resolve("demo");
    Cli.Run demo = Cli.run("demo", "--lakehouse", lh.toString(), "--work", work.toString(), "--repo", REPO.toString(), "--specs",
        Path.of("src/test/resources/demo-specs").toAbsolutePath().toString(), "--records", "90", "--contributors", "4", "--answers", "4", "--fresh");
    assertEquals(0, demo.code(), () -> tail(demo.out()) + demo.err());
    String out = demo.out();
    assertTrue(out.contains("ingested: lines ") && out.contains("= accepted 90 + quarantined "), tail(out));

    // The claimant received day 1's cumulative balance, then exactly day 2's increase.
    Matcher claims = Pattern.compile("(0x[0-9a-fA-F]{40}) claimed: (\\d+) wei received \\(cumulative (\\d+) wei\\)").matcher(out);
    List<BigInteger[]> seen = new ArrayList<>();
    String claimant = null;
    while (claims.find()) {
      claimant = claims.group(1);
      seen.add(new BigInteger[] {new BigInteger(claims.group(2)), new BigInteger(claims.group(3))});
    }
    assertEquals(2, seen.size(), tail(out));
    assertEquals(seen.get(0)[1], seen.get(0)[0], "day 1: the whole cumulative balance");
    assertEquals(seen.get(1)[1].subtract(seen.get(0)[1]), seen.get(1)[0], "day 2: only the increase");
    assertTrue(seen.get(1)[0].signum() > 0, "the claimant earned on day 2 too");
    BigInteger rewarded = BigInteger.ZERO;
    for (var r : lakehouse.spark().read().format("delta").load(lh.resolve(Tables.EPOCH_REWARDS.name()).toString())
        .where("role = 'data' AND account = '" + claimant + "'").collectAsList()) {
      rewarded = rewarded.add(r.<BigDecimal>getAs("amount_wei").toBigIntegerExact());
    }
    assertEquals(seen.get(1)[1], rewarded, "the cumulative balance is the sum of the epochs' data rewards");
    assertEquals(2L, lakehouse.spark().read().format("delta").load(lh.resolve("distributions").toString()).where("status = 'accepted'").count());
    assertTrue(Files.exists(work.resolve("reports/report-2026-11-24.html")) && Files.exists(work.resolve("reports/report-2026-11-24.json")));

    for (String notebook : List.of("1-datanets", "2-answer-attribution", "3-epoch-rewards")) {
      execute(notebook, lh, scratch.resolve("notebooks"));
    }
  }

  /** Runs a notebook with nbconvert and the JJava kernel; a failing cell fails the test with its error. */
  private static void execute(String notebook, Path lakehouse, Path outDir) throws Exception {
    Path jupyter = REPO.resolve(".venv-notebooks/bin/jupyter");
    assertTrue(Files.isExecutable(jupyter), "Jupyter is not installed: run `make .venv-notebooks/.installed` (make test does)");
    ProcessBuilder pb = new ProcessBuilder(jupyter.toString(), "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=900",
        "--output-dir", outDir.toString(), REPO.resolve("notebooks/" + notebook + ".ipynb").toString()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("PAYABLE_LAKEHOUSE", lakehouse.toString());
    env.put("JJAVA_CLASSPATH", System.getProperty("java.class.path"));
    env.put("JJAVA_JVM_OPTS", "-Xmx2g " + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
        .toList()));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    Path log = Files.createDirectories(outDir).resolve(notebook + ".log");
    Process p = pb.redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), notebook + " did not finish in 15 minutes");
    assertEquals(0, p.exitValue(), () -> notebook + " failed:\n" + tailOf(log));
    com.fasterxml.jackson.databind.JsonNode executed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(outDir.resolve(notebook + ".ipynb").toFile());
    int charts = 0;
    for (var cell : executed.path("cells")) {
      for (var output : cell.path("outputs")) {
        charts += output.path("data").has("image/svg+xml") ? 1 : 0;
      }
    }
    assertTrue(charts >= 1, notebook + " shows at least one chart");
  }

  private static String tailOf(Path log) {
    try {
      return tail(Files.readString(log));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static String tail(String text) {
    return text.length() < 6000 ? text : text.substring(text.length() - 6000);
  }
}
