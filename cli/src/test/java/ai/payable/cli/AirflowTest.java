package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.orchestration.AirflowClient;
import ai.payable.orchestration.AirflowError;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;

/** Our DAGs in a real Airflow 3, driven by our client and CLI over the REST API. */
class AirflowTest extends SparkTestBase {

  private static final Set<String> DAGS = Set.of("datanet_ingest", "model_training", "nightly_rewards", "lakehouse_maintenance", "payable_smoke");
  private static final int SAMPLE_RECORDS = 30;
  private static int sampleProblems;
  @TempDir static Path airflowScratch;
  private static Path lakehouseRoot;
  private static LocalAirflow airflow;

  /**
   * A lakehouse with registered DataNets and landing zones holding signed submissions and an
   * inference log, ready before Airflow starts: its first scheduled {@code datanet_ingest} run
   * ingests them, as it would in production.
   */
  @BeforeAll
  static void start() throws Exception {
    spark();
    lakehouseRoot = airflowScratch.resolve("lakehouse");
    Path sample = airflowScratch.resolve("sample");
    Cli.Run generated = Cli.run("sample", "submissions", "--out", sample.toString(), "--records", String.valueOf(SAMPLE_RECORDS),
        "--contributors", "3", "--problem-share", "0.2");
    assertEquals(0, generated.code(), generated.err());
    java.util.regex.Matcher problems = java.util.regex.Pattern.compile("\\((\\d+) problem lines\\)").matcher(generated.out());
    assertTrue(problems.find(), generated.out());
    sampleProblems = Integer.parseInt(problems.group(1));
    Cli.Run registered = Cli.run("datanet", "register", "--lakehouse", lakehouseRoot.toString(), "--file", sample.resolve("datanets.yaml").toString());
    assertEquals(0, registered.code(), registered.err());
    // The gateway's logs: two signed answers and a line with a bare-number fee (unsigned; quarantined for its fee).
    GatewaySigner gateway = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0xa1f_10L).shiftLeft(170).add(BigInteger.ONE)));
    Cli.Run gatewayRegistered = Cli.run("gateway", "register", "--lakehouse", lakehouseRoot.toString(), "--id", "gw-1", "--address",
        gateway.address().checksummed());
    assertEquals(0, gatewayRegistered.code(), gatewayRegistered.err());
    Path inferences = Files.createDirectories(airflowScratch.resolve("landing-inferences"));
    Files.writeString(inferences.resolve("gateway-0001.jsonl"), String.join("\n",
        gateway.signJson(inference("inf-1", "\"5000\"")), gateway.signJson(inference("inf-2", "\"7000\"")), inference("inf-3", "7000"), ""));
    airflow = LocalAirflow.start(Path.of("..").toAbsolutePath().normalize(), airflowScratch, DAGS, Map.of(
        "payable_lakehouse", lakehouseRoot.toString(),
        "payable_landing_submissions", sample.resolve("landing").toString(),
        "payable_landing_inferences", inferences.toString(),
        "payable_models", airflowScratch.resolve("models").toString()));
    Cli.Run pool = Cli.run("airflow", "pool", "payable_ingest", "--slots", "1", "--description", "one ingest writer per lakehouse",
        "--url", airflow.url.toString());
    assertEquals("pool payable_ingest: 1 slot(s)\n", pool.out(), () -> pool.err() + "\nAirflow's log ends:\n" + tail(airflow));
  }

  private static String tail(LocalAirflow airflow) {
    try {
      return airflow.logTail();
    } catch (java.io.IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** An inference log line; {@code fee} is JSON (a string is valid, a bare number is not). */
  private static String inference(String id, String fee) {
    return "{\"inference_id\":\"" + id + "\",\"ts\":\"2026-11-24T05:10:00Z\",\"model_id\":\"student\",\"prompt\":\"How deep should garlic be planted?\","
        + "\"output\":\"About five centimetres.\",\"fee_wei\":" + fee + ",\"retrieved\":[],\"requester\":\"0x00000000000000000000000000000000000000aa\"}";
  }

  @AfterAll
  static void stop() {
    if (airflow != null) {
      airflow.close();
    }
  }

  @Test
  void dagsImportWithTheirSchedulesTasksAndRetries() {
    AirflowClient c = airflow.client;
    assertEquals(Map.of(), c.importErrors());
    assertEquals(Map.of("version", 0), c.tasks("payable_smoke"));
    Map<String, AirflowClient.Dag> dags = new java.util.TreeMap<>();
    c.dags().forEach(d -> dags.put(d.dagId(), d));
    assertTrue(dags.keySet().containsAll(DAGS), dags.keySet().toString());
    assertEquals(Map.of("ingest_submissions", 3, "ingest_inferences", 3, "index_records", 3), c.tasks("datanet_ingest"));
    assertEquals(Map.of("accept_previous", 3, "ingest_inferences", 3, "attribute", 3, "build_distribution", 3, "report", 3, "propose_root", 3),
        c.tasks("nightly_rewards"));
    assertEquals(Map.of("train", 1, "audit", 1), c.tasks("model_training"));
    assertEquals(Map.of("maintain", 3), c.tasks("lakehouse_maintenance"));
    assertEquals("0 0 * * *", dags.get("lakehouse_maintenance").schedule(), "daily");
    assertTrue(dags.values().stream().noneMatch(AirflowClient.Dag::paused), "unpaused at creation");
    assertEquals("0 * * * *", dags.get("datanet_ingest").schedule(), "hourly");
    assertEquals("0 0 * * *", dags.get("nightly_rewards").schedule(), "daily");
    assertEquals(null, dags.get("model_training").schedule(), "manual");
  }

  @Test
  void triggersWaitsReadsLogsClearsAndBackfills() throws Exception {
    AirflowClient c = airflow.client;
    assertTrue(c.setPaused("datanet_ingest", true).paused());
    assertTrue(!c.setPaused("datanet_ingest", false).paused());

    Instant when = Instant.parse("2026-11-23T00:00:00Z");
    AirflowClient.DagRun first = c.trigger("payable_smoke", "smoke-1", when, Map.of("reason", "test"));
    AirflowClient.DagRun again = c.trigger("payable_smoke", "smoke-1", when, Map.of("reason", "test"));
    assertEquals(first.runId(), again.runId(), "the same run id twice is the same run");
    assertEquals("test", again.conf().path("reason").asText());
    AirflowClient.DagRun done = c.waitFor("payable_smoke", "smoke-1", Duration.ofSeconds(2), Duration.ofMinutes(6));
    String log = c.log("payable_smoke", "smoke-1", "version", 1);
    assertEquals("success", done.state(), () -> log);
    assertTrue(log.contains("payable ") && log.contains("spark-submit"), "the task ran our CLI through spark-submit: " + log);

    List<AirflowClient.TaskInstance> cleared = c.clear("payable_smoke", "smoke-1", false);
    assertEquals(List.of("version"), cleared.stream().map(AirflowClient.TaskInstance::taskId).toList());
    assertEquals("success", c.waitFor("payable_smoke", "smoke-1", Duration.ofSeconds(2), Duration.ofMinutes(6)).state());
    assertTrue(c.taskInstances("payable_smoke", "smoke-1").get(0).tryNumber() >= 2, "cleared tasks run again");

    Cli.Run trigger = Cli.run("airflow", "trigger", "payable_smoke", "--url", airflow.url.toString(), "--run-id", "smoke-cli",
        "--logical-date", "2026-11-24T00:00:00Z", "--wait", "--timeout", "PT6M");
    assertEquals(0, trigger.code(), trigger.out() + trigger.err());
    assertTrue(trigger.out().contains("run smoke-cli of payable_smoke ended: success"), trigger.out());
  }

  @Test
  void ingestsTheLandingZonesThroughSparkSubmitExactlyOnce() throws Exception {
    AirflowClient c = airflow.client;
    // The scheduler's first run after unpausing; nightly_rewards' first run also ingests inference
    // logs from the same landing zone, serialised with it by the payable_ingest pool. A test that
    // crosses the hour also sees the next hourly run, which finds nothing new: only the first counts.
    AirflowClient.DagRun first = c.runs("datanet_ingest").stream().min(java.util.Comparator.comparing(AirflowClient.DagRun::logicalDate, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())))
        .orElseThrow(() -> new AssertionError("the scheduler runs datanet_ingest once it is unpaused"));
    StringBuilder logs = new StringBuilder();
    AirflowClient.DagRun done = c.waitFor("datanet_ingest", first.runId(), Duration.ofSeconds(2), Duration.ofMinutes(10));
    for (String task : List.of("ingest_submissions", "ingest_inferences", "index_records")) {
      c.log("datanet_ingest", first.runId(), task, 1).lines().filter(l -> l.startsWith("lines ") || l.contains(" files listed") || l.contains(" records at records version"))
          .forEach(l -> logs.append(l).append('\n'));
    }
    assertEquals("success", done.state(), logs::toString);
    // Every sample record is accepted and every problem line of the sample (copies, forgeries, …) quarantined.
    assertTrue(logs.toString().contains("lines " + (SAMPLE_RECORDS + sampleProblems) + " = accepted " + SAMPLE_RECORDS + " + quarantined " + sampleProblems),
        logs::toString);
    // Then each DataNet's records are indexed for retrieval, into the model store.
    assertTrue(logs.toString().matches("(?s).*agronomy +indexed [0-9,]+ records at records version \\d+.*"), logs::toString);
    assertTrue(Files.isDirectory(airflowScratch.resolve("models/indexes/agronomy")), "the index is in the model store");

    String lh = lakehouseRoot.toString();
    assertEquals("n\n" + SAMPLE_RECORDS + "\n", Cli.run("sql", "--lakehouse", lh, "--format", "csv", "SELECT count(*) AS n FROM records").out());
    assertEquals("inference_id\ninf-1\ninf-2\n",
        Cli.run("sql", "--lakehouse", lh, "--format", "csv", "SELECT inference_id FROM inferences ORDER BY inference_id").out());
    assertEquals("line_no,reasons\n3,BAD_FEE\n", Cli.run("sql", "--lakehouse", lh, "--format", "csv",
        "SELECT line_no, array_join(reasons, '|') AS reasons FROM quarantine WHERE kind = 'inference'").out());

    // A backfill over two days of the daily maintenance DAG, followed to completion from the CLI.
    Cli.Run backfill = Cli.run("airflow", "backfill", "lakehouse_maintenance", "--from", "2026-11-01", "--to", "2026-11-02", "--wait",
        "--conf", "{\"tables\": \"records,quarantine\"}",
        "--timeout", "PT12M", "--url", airflow.url.toString());
    assertEquals(0, backfill.code(), backfill.out() + backfill.err());
    assertTrue(backfill.out().contains("ended: 2 of 2 run(s) succeeded"), backfill.out());
    List<AirflowClient.DagRun> backfilled = c.runs("lakehouse_maintenance").stream().filter(r -> "backfill".equals(r.runType())).toList();
    assertEquals(List.of("2026-11-02", "2026-11-01"), backfilled.stream().map(r -> r.logicalDate().substring(0, 10)).toList());
    String maintained = c.log("lakehouse_maintenance", backfilled.get(0).runId(), "maintain", 1).lines()
        .filter(l -> l.startsWith("records ") || l.startsWith("maintained ")).collect(java.util.stream.Collectors.joining("\n"));
    assertTrue(maintained.matches("(?s)records +" + SAMPLE_RECORDS + " rows: \\d+ files -> 1, vacuumed\nmaintained \\d+ table\\(s\\) of .*"), maintained);
    assertEquals("n\n" + SAMPLE_RECORDS + "\n", Cli.run("sql", "--lakehouse", lh, "--format", "csv", "SELECT count(*) AS n FROM records").out(),
        "maintenance changes no rows");
  }

  @Test
  void expiredTokensAreRenewedAndFailedRunsShowTheirLogs() throws Exception {
    AirflowClient c = new AirflowClient(airflow.url, LocalAirflow.USER, LocalAirflow.PASSWORD);
    assertTrue(dagIds(c).containsAll(DAGS), "a fresh client signs in and lists our DAGs");
    var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(java.net.http.HttpRequest.newBuilder(airflow.url.resolve("/auth/token"))
        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"username\": \"" + LocalAirflow.USER + "\", \"password\": \"" + LocalAirflow.PASSWORD + "\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("access_token").asText();
    Thread.sleep((LocalAirflow.TOKEN_SECONDS + 2) * 1000L);
    int stale = http.send(java.net.http.HttpRequest.newBuilder(airflow.url.resolve("/api/v2/dags")).header("Authorization", "Bearer " + token).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    assertEquals(401, stale, "tokens of this server expire");
    assertTrue(dagIds(c).containsAll(DAGS), "the client signs in again when its token has expired");

    Cli.Run failed = Cli.run("airflow", "trigger", "payable_smoke", "--url", airflow.url.toString(), "--run-id", "smoke-fails",
        "--logical-date", "2026-11-25T00:00:00Z", "--conf", "{\"command\": \"no-such-command\"}", "--wait", "--timeout", "PT6M");
    assertEquals(1, failed.code(), failed.out() + failed.err());
    assertTrue(failed.out().contains("run smoke-fails of payable_smoke ended: failed") && failed.out().contains("task version: failed"), failed.out());
    assertTrue(failed.out().contains("  | "), "the tail of the failed task's log is printed: " + failed.out());
  }

  private static Set<String> dagIds(AirflowClient c) {
    return c.dags().stream().map(AirflowClient.Dag::dagId).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void errorsSayWhatWentWrong() {
    AirflowError.Auth auth = assertThrows(AirflowError.Auth.class, () -> new AirflowClient(airflow.url, "payable", "wrong").dags());
    assertTrue(auth.getMessage().startsWith("signing in to " + airflow.url + "/ as payable: HTTP 401"), auth.getMessage());
    AirflowError.NotFound missing = assertThrows(AirflowError.NotFound.class, () -> airflow.client.run("no_such_dag", "x"));
    assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
    AirflowError.Invalid backwards = assertThrows(AirflowError.Invalid.class,
        () -> airflow.client.backfill("nightly_rewards", LocalDate.parse("2026-11-05"), LocalDate.parse("2026-11-01"), Map.of()));
    assertTrue(backwards.status() == 400 || backwards.status() == 422, backwards.getMessage());
    AirflowError.Invalid badConf = assertThrows(AirflowError.Invalid.class,
        () -> airflow.client.trigger("model_training", "bad-conf", Instant.parse("2026-11-23T00:00:00Z"), Map.of("spec", 5)));
    assertTrue(badConf.getMessage().contains("spec"), "the server says which param: " + badConf.getMessage());
    Cli.Run unknown = Cli.run("airflow", "status", "no_such_dag", "run", "--url", airflow.url.toString());
    assertEquals(1, unknown.code());
    assertTrue(unknown.err().startsWith("error: reading run run of no_such_dag: HTTP 404"), unknown.err());
  }
}
