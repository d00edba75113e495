package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.orchestration.AirflowClient;
import ai.payable.orchestration.AirflowError;
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

/** Our DAGs in a real Airflow 3, driven by our client and CLI over the REST API. */
class AirflowTest {

  private static final Set<String> DAGS = Set.of("datanet_ingest", "model_training", "nightly_rewards", "payable_smoke");
  @TempDir static Path scratch;
  private static LocalAirflow airflow;

  @BeforeAll
  static void start() throws Exception {
    airflow = LocalAirflow.start(Path.of("..").toAbsolutePath().normalize(), scratch, DAGS);
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
    assertEquals(Map.of("ingest_submissions", 3, "ingest_inferences", 3), c.tasks("datanet_ingest"));
    assertEquals(Map.of("ingest_inferences", 3, "attribute", 3, "build_distribution", 3, "propose_root", 3), c.tasks("nightly_rewards"));
    assertEquals(Map.of("train", 1), c.tasks("model_training"));
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
    AirflowClient.DagRun done = c.waitFor("payable_smoke", "smoke-1", Duration.ofSeconds(2), Duration.ofMinutes(3));
    String log = c.log("payable_smoke", "smoke-1", "version", 1);
    assertEquals("success", done.state(), () -> log);
    assertTrue(log.contains("payable ") && log.contains("spark-submit"), "the task ran our CLI through spark-submit: " + log);

    List<AirflowClient.TaskInstance> cleared = c.clear("payable_smoke", "smoke-1", false);
    assertEquals(List.of("version"), cleared.stream().map(AirflowClient.TaskInstance::taskId).toList());
    assertEquals("success", c.waitFor("payable_smoke", "smoke-1", Duration.ofSeconds(2), Duration.ofMinutes(3)).state());
    assertTrue(c.taskInstances("payable_smoke", "smoke-1").get(0).tryNumber() >= 2, "cleared tasks run again");

    AirflowClient.Backfill backfill = c.backfill("datanet_ingest", LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-02"), Map.of());
    assertEquals("datanet_ingest", backfill.dagId());
    assertTrue(backfill.id() > 0);

    Cli.Run trigger = Cli.run("airflow", "trigger", "payable_smoke", "--url", airflow.url.toString(), "--run-id", "smoke-cli",
        "--logical-date", "2026-11-24T00:00:00Z", "--wait", "--timeout", "PT3M");
    assertEquals(0, trigger.code(), trigger.out() + trigger.err());
    assertTrue(trigger.out().contains("run smoke-cli of payable_smoke ended: success"), trigger.out());
  }

  @Test
  void expiredTokensAreRenewedAndFailedRunsShowTheirLogs() throws Exception {
    AirflowClient c = new AirflowClient(airflow.url, LocalAirflow.USER, LocalAirflow.PASSWORD);
    assertTrue(!c.dags().isEmpty());
    var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(java.net.http.HttpRequest.newBuilder(airflow.url.resolve("/auth/token"))
        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"username\": \"" + LocalAirflow.USER + "\", \"password\": \"" + LocalAirflow.PASSWORD + "\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("access_token").asText();
    Thread.sleep((LocalAirflow.TOKEN_SECONDS + 2) * 1000L);
    int stale = http.send(java.net.http.HttpRequest.newBuilder(airflow.url.resolve("/api/v2/dags")).header("Authorization", "Bearer " + token).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    assertEquals(401, stale, "tokens of this server expire");
    assertTrue(!c.dags().isEmpty(), "the client signs in again when its token has expired");

    Cli.Run failed = Cli.run("airflow", "trigger", "payable_smoke", "--url", airflow.url.toString(), "--run-id", "smoke-fails",
        "--logical-date", "2026-11-25T00:00:00Z", "--conf", "{\"command\": \"no-such-command\"}", "--wait", "--timeout", "PT3M");
    assertEquals(1, failed.code(), failed.out() + failed.err());
    assertTrue(failed.out().contains("run smoke-fails of payable_smoke ended: failed") && failed.out().contains("task version: failed"), failed.out());
    assertTrue(failed.out().contains("  | "), "the tail of the failed task's log is printed: " + failed.out());
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
