package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.inference.InferenceLogLine;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.Wei;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.orchestration.AirflowClient;
import ai.payable.orchestration.AirflowError;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.DistributorState;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.LocalAnvil;
import ai.payable.rewards.distribution.QuietEpoch;
import java.io.IOException;
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
import org.web3j.crypto.WalletUtils;

/** Our DAGs in a real Airflow 3, driven by our client and CLI over the REST API. */
class AirflowTest extends SparkTestBase {

  private static final Set<String> DAGS = Set.of("datanet_ingest", "model_training", "nightly_rewards", "lakehouse_maintenance", "payable_smoke");
  private static final int SAMPLE_RECORDS = 30;
  private static int sampleProblems;
  @TempDir static Path airflowScratch;
  private static Path lakehouseRoot;
  private static LocalAirflow airflow;
  private static LocalAnvil anvil;
  private static String distributor;
  private static String token;
  private static EvmClient funder;
  private static final BigInteger FUNDS = BigInteger.TEN.pow(24);
  private static GatewaySigner gateway;

  /**
   * A lakehouse with registered DataNets and landing zones holding signed submissions and an
   * inference log, ready before Airflow starts: its first scheduled {@code datanet_ingest} run
   * ingests them, as it would in production. A distributor is deployed on anvil with separate
   * admin, updater and guardian keys, a funding account approves the updater to move its tokens,
   * and the Variables of {@code nightly_rewards} name them.
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
    gateway = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0xa1f_10L).shiftLeft(170).add(BigInteger.ONE)));
    Cli.Run gatewayRegistered = Cli.run("gateway", "register", "--lakehouse", lakehouseRoot.toString(), "--id", "gw-1", "--address",
        gateway.address().checksummed());
    assertEquals(0, gatewayRegistered.code(), gatewayRegistered.err());
    Path inferences = Files.createDirectories(airflowScratch.resolve("landing-inferences"));
    Files.writeString(inferences.resolve("gateway-0001.jsonl"), String.join("\n",
        gateway.signJson(inference("inf-1", "\"5000\"")), gateway.signJson(inference("inf-2", "\"7000\"")), inference("inf-3", "7000"), ""));
    Path repo = Path.of("..").toAbsolutePath().normalize();
    anvil = LocalAnvil.start(repo, Files.createDirectories(airflowScratch.resolve("anvil")));
    EvmClient admin = new EvmClient(anvil.web3, anvil.accounts.get(0), anvil.chainId, 50);
    String token = DistributorDeployment.deployTestToken(admin);
    distributor = DistributorDeployment.deploy(admin, token, new DistributorDeployment.Roles(admin.from(), anvil.accounts.get(1).getAddress(),
        anvil.accounts.get(2).getAddress()), DistributorDeployment.MIN_TIMELOCK, Duration.ofDays(2)).distributor();
    // Claims are funded from a funding account that approved the updater; the nightly moves exactly what each root adds.
    funder = new EvmClient(anvil.web3, anvil.accounts.get(5), anvil.chainId, 50);
    admin.execute(token, admin.testToken(token).mint(funder.from(), FUNDS));
    funder.execute(token, funder.erc20(token).approve(anvil.accounts.get(1).getAddress(), FUNDS));
    AirflowTest.token = token;
    Path keys = Files.createDirectories(airflowScratch.resolve("keys"));
    Path updaterKeystore = keys.resolve(WalletUtils.generateWalletFile(Cli.KEYSTORE_PASSWORD, anvil.accounts.get(1).getEcKeyPair(), keys.toFile(), false));
    airflow = LocalAirflow.start(repo, airflowScratch, DAGS, Map.ofEntries(
        Map.entry("payable_lakehouse", lakehouseRoot.toString()),
        Map.entry("payable_landing_submissions", sample.resolve("landing").toString()),
        Map.entry("payable_landing_inferences", inferences.toString()),
        Map.entry("payable_models", airflowScratch.resolve("models").toString()),
        Map.entry("payable_rpc_url", anvil.url),
        Map.entry("payable_chain_id", String.valueOf(anvil.chainId)),
        Map.entry("payable_distributor", distributor),
        Map.entry("payable_keystore", updaterKeystore.toString()),
        Map.entry("payable_treasury", Address.parse(anvil.accounts.get(3).getAddress()).checksummed()),
        Map.entry("payable_funding_account", Address.parse(funder.from()).checksummed()),
        Map.entry("payable_distributions", airflowScratch.resolve("distributions").toString()),
        Map.entry("payable_reports", airflowScratch.resolve("reports").toString()),
        Map.entry("payable_claim_site", airflowScratch.resolve("claim-site").toString())));
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
    if (anvil != null) {
      anvil.close();
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
    assertEquals(Map.of("accept_previous", 3, "publish_claim_site", 3, "ingest_inferences", 3, "attribute", 3, "build_distribution", 3, "report", 3,
        "propose_root", 3), c.tasks("nightly_rewards"));
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
        Cli.run("sql", "--lakehouse", lh, "--format", "csv", "SELECT inference_id FROM inferences WHERE inference_id LIKE 'inf-%' ORDER BY inference_id").out());
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

  /**
   * {@code nightly_rewards} end to end in Airflow on anvil: the scheduler's own run covers
   * yesterday, which logged no answers (a quiet day: nothing distributed, and a success). Then a
   * base and an adapter are trained, a gateway's signed answers of two earlier days land, and a
   * run per day is triggered: the first ingests, attributes, builds, reports and proposes its
   * root; the second, a timelock later, accepts it before proposing its own.
   */
  @Test
  void nightlyRewardsProposesEachDayAndTheNextRunAcceptsIt() throws Exception {
    AirflowClient c = airflow.client;
    String lh = lakehouseRoot.toString();
    LocalDate yesterday = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1);
    AirflowClient.DagRun scheduled = c.runs("nightly_rewards").stream().filter(r -> "scheduled".equals(r.runType())).findFirst()
        .orElseThrow(() -> new AssertionError("the scheduler runs nightly_rewards once it is unpaused"));
    assertEquals(yesterday.toString(), scheduled.dataIntervalStart().substring(0, 10), "the nightly run covers the day that has ended");
    assertEquals("success", c.waitFor("nightly_rewards", scheduled.runId(), Duration.ofSeconds(2), Duration.ofMinutes(12)).state(),
        () -> nightlyLogs(c, scheduled.runId()));
    assertTrue(taskLog(c, scheduled.runId(), "build_distribution").contains(QuietEpoch.message(yesterday)), () -> nightlyLogs(c, scheduled.runId()));

    // The DataNets' records are in (datanet_ingest's first run); a base and a contracts adapter are trained on them.
    AirflowClient.DagRun firstIngest = c.runs("datanet_ingest").stream().filter(r -> "scheduled".equals(r.runType()))
        .min(java.util.Comparator.comparing(AirflowClient.DagRun::logicalDate)).orElseThrow();
    assertEquals("success", c.waitFor("datanet_ingest", firstIngest.runId(), Duration.ofSeconds(2), Duration.ofMinutes(10)).state());
    String builder = Address.parse(anvil.accounts.get(4).getAddress()).checksummed();
    String base = train(lh, "name: airflow-base\nkind: teacher\ndatanets: [dermatology, contracts, agronomy]\n"
        + "model: {hidden_size: 16, layers: 1, heads: 2, intermediate_size: 32, context: 64}\nepochs: 1\n");
    String adapter = train(lh, "name: airflow-contracts\nkind: adapter\nbase: airflow-base\nowner: \"" + builder + "\"\ndatanets: [contracts]\n"
        + "lora: {rank: 2, alpha: 4, targets: [q_proj]}\nepochs: 1\nfeatures: {projection_dim: 4}\n");

    // The gateway's answers of two earlier days; a manual run at a logical date pays the day before it.
    List<LocalDate> days = List.of(yesterday.minusDays(3), yesterday.minusDays(2));
    List<org.apache.spark.sql.Row> records = new Lakehouse(spark(), lakehouseRoot.toUri()).read(Tables.RECORDS)
        .where("datanet = 'contracts' AND kind = 'qa'").orderBy("record_id").limit(6).collectAsList();
    List<String> lines = new java.util.ArrayList<>();
    BigInteger fees = BigInteger.ZERO;
    for (int d = 0; d < days.size(); d++) {
      for (int i = 0; i < 3; i++) {
        org.apache.spark.sql.Row r = records.get((d * 3 + i) % records.size());
        BigInteger fee = BigInteger.valueOf(2_000_000_000_000_003L + i);
        fees = fees.add(fee);
        lines.add(gateway.sign(new InferenceLogLine("night-" + days.get(d) + "-" + i, days.get(d).atTime(10 + i, 0).toInstant(java.time.ZoneOffset.UTC),
            base, adapter, r.getAs("prompt"), r.getAs("completion"), 20, 12, new Wei(fee),
            List.of(new InferenceLogLine.Retrieved(r.getAs("record_id"), 0.8)), null)).toJson());
      }
    }
    Files.write(airflowScratch.resolve("landing-inferences/gateway-0002.jsonl"), lines);

    String first = nightly(c, days.get(0));
    assertTrue(taskLog(c, first, "propose_root").contains("proposed root "), () -> nightlyLogs(c, first));
    assertTrue(taskLog(c, first, "propose_root").contains("topped up the distributor with "), () -> nightlyLogs(c, first));
    EvmClient reader = new EvmClient(anvil.web3, anvil.accounts.get(0), anvil.chainId, 50);
    String root1 = DistributorState.read(reader, distributor).pending().orElseThrow().root();
    // Night passes: the root's timelock ends before the next run, as the schedule requires.
    anvil.increaseTime(Duration.ofHours(2).toSeconds());
    String second = nightly(c, days.get(1));
    assertTrue(taskLog(c, second, "accept_previous").contains("accepted root " + root1 + " for " + days.get(0)), () -> nightlyLogs(c, second));

    DistributorState state = DistributorState.read(reader, distributor);
    assertEquals(root1, state.root(), "the first day's root is claimable");
    String root2 = state.pending().orElseThrow().root();
    assertEquals(days.get(1), state.pending().orElseThrow().epoch());
    String ledger = Cli.run("sql", "--lakehouse", lh, "--format", "csv", "SELECT epoch, root, status, report_uri IS NOT NULL AS reported FROM distributions "
        + "ORDER BY epoch").out();
    assertEquals("epoch,root,status,reported\n" + days.get(0) + "," + root1 + ",accepted,true\n" + days.get(1) + "," + root2 + ",proposed,true\n", ledger);
    assertEquals("fees\n" + fees + "\n", Cli.run("sql", "--lakehouse", lh, "--format", "csv", "SELECT CAST(sum(amount_wei) AS STRING) AS fees FROM "
        + "epoch_rewards WHERE epoch IN (DATE'" + days.get(0) + "', DATE'" + days.get(1) + "')").out(), "every fee of both days is split, once");
    // Each proposal took exactly what its root added from the funding account: the distributor holds the two days' fees, no more.
    assertEquals(fees, reader.read(reader.erc20(token).balanceOf(distributor)), "the distributor holds what it owes");
    assertEquals(FUNDS.subtract(fees), reader.read(reader.erc20(token).balanceOf(funder.from())), "the funding account paid exactly that");
    assertTrue(Files.exists(airflowScratch.resolve("reports/report-" + days.get(1) + ".html")), "governance's page of the proposed root");
    // The second run published the claim page of the root it accepted.
    String site = Files.readString(airflowScratch.resolve("claim-site/site.json"));
    assertTrue(site.contains("\"epoch\" : \"" + days.get(0) + "\"") && site.contains(root1), site);
    assertTrue(taskLog(c, scheduled.runId(), "publish_claim_site").contains("the distributor has accepted no root yet"), "the quiet night had none");
  }

  /** Triggers the nightly run that pays {@code day} and waits for its success. */
  private static String nightly(AirflowClient c, LocalDate day) throws InterruptedException {
    String runId = "pay-" + day;
    c.trigger("nightly_rewards", runId, day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), Map.of());
    AirflowClient.DagRun done = c.waitFor("nightly_rewards", runId, Duration.ofSeconds(2), Duration.ofMinutes(15));
    assertEquals(day.toString(), done.dataIntervalStart().substring(0, 10), "the run covers the day before its logical date");
    assertEquals("success", done.state(), () -> nightlyLogs(c, runId));
    return runId;
  }

  private static String train(String lakehouse, String spec) throws IOException {
    Path file = Files.writeString(Files.createTempFile(airflowScratch, "spec-", ".yaml"), spec);
    Cli.Run trained = Cli.run("train", "--lakehouse", lakehouse, "--spec", file.toString(), "--models", airflowScratch.resolve("models").toString());
    assertEquals(0, trained.code(), trained.err());
    return trained.out().lines().filter(l -> l.startsWith("model ")).findFirst().orElseThrow().split(" ")[1];
  }

  /** The log of the latest try of {@code task} in a nightly run. */
  private static String taskLog(AirflowClient c, String runId, String task) {
    int tries = c.taskInstances("nightly_rewards", runId).stream().filter(t -> t.taskId().equals(task)).mapToInt(AirflowClient.TaskInstance::tryNumber)
        .max().orElse(1);
    return c.log("nightly_rewards", runId, task, Math.max(1, tries));
  }

  private static String nightlyLogs(AirflowClient c, String runId) {
    StringBuilder out = new StringBuilder("run " + runId + " of nightly_rewards:\n");
    for (AirflowClient.TaskInstance t : c.taskInstances("nightly_rewards", runId)) {
      out.append("== ").append(t.taskId()).append(": ").append(t.state()).append('\n');
      if (!"success".equals(t.state()) && t.tryNumber() > 0) {
        String log = c.log("nightly_rewards", runId, t.taskId(), t.tryNumber());
        out.append(log, Math.max(0, log.length() - 3000), log.length()).append('\n');
      }
    }
    return out.toString();
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
