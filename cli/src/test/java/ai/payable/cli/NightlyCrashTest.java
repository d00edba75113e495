package ai.payable.cli;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.catalog.LandingKind;
import ai.payable.core.catalog.Tables;
import ai.payable.core.failpoint.Failpoint;
import ai.payable.core.identity.Address;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.DistributorState;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.LocalAnvil;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.distribution.DistributionLedger;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Kill -9 at every step of the nightly run. Night after night on anvil, the nightly's commands run
 * as Airflow runs them, one process per task; on each night one task runs in its own JVM and is
 * killed with SIGKILL at a {@link Failpoint} (mid-ingest, after ingest, mid-attribute, after build,
 * between sending the root and its receipt, after the root is mined), and the night is then run
 * again from that task, as Airflow's retry does. Every night must end with every answer logged
 * once, the fees split exactly, the same root as a twin lakehouse that never crashed (or as the
 * crashed run had already built), one {@code submitRoot} and nothing else sent; at the end every
 * contributor claims exactly what was paid in fees.
 */
class NightlyCrashTest extends SparkTestBase {

  /** A night's crash: the task killed, and where. */
  private record Crash(String task, Failpoint at) {}

  private static final List<Crash> CRASHES = List.of(
      new Crash("ingest_inferences", Failpoint.INGEST_WRITTEN),
      new Crash("ingest_inferences", Failpoint.INGEST_COMMITTED),
      new Crash("attribute", Failpoint.ATTRIBUTIONS_WRITTEN),
      new Crash("build_distribution", Failpoint.DISTRIBUTION_RECORDED),
      new Crash("propose_root", Failpoint.TRANSACTION_SENT),
      new Crash("propose_root", Failpoint.ROOT_MINED));
  /** Nights whose crash comes before a root exists; a twin lakehouse that never crashes gives their reference root. */
  private static final int TWIN_NIGHTS = 3;
  private static final int ANSWERS = 4;

  private Path work;
  private LocalAnvil anvil;
  private String distributor;
  private Path updaterKeystore;
  private String treasury;

  @Test
  void aNightKilledAtAnyStepEndsWithTheSameRootOneTransactionAndNoDoublePayment() throws Exception {
    work = scratch;
    try (LocalAnvil chain = LocalAnvil.start(Path.of("..").toAbsolutePath().normalize(), Files.createDirectories(work.resolve("anvil")))) {
      anvil = chain;
      EvmClient admin = new EvmClient(anvil.web3, anvil.accounts.get(0), anvil.chainId, 50);
      EvmClient updater = new EvmClient(anvil.web3, anvil.accounts.get(1), anvil.chainId, 50);
      treasury = Address.parse(anvil.accounts.get(3).getAddress()).checksummed();
      Path keys = Files.createDirectories(work.resolve("keys"));
      updaterKeystore = keys.resolve(WalletUtils.generateWalletFile(Cli.KEYSTORE_PASSWORD, anvil.accounts.get(1).getEcKeyPair(), keys.toFile(), false));
      NightlyFixture fixture = NightlyFixture.create(lakehouse, work, Address.parse(anvil.accounts.get(4).getAddress()).checksummed());

      String token = DistributorDeployment.deployTestToken(admin);
      DistributorDeployment deployment = DistributorDeployment.deploy(admin, token, new DistributorDeployment.Roles(admin.from(), updater.from(),
          anvil.accounts.get(2).getAddress()), DistributorDeployment.MIN_TIMELOCK, Duration.ofDays(2));
      distributor = deployment.distributor();
      BigInteger funds = BigInteger.TEN.pow(24);
      admin.execute(token, admin.testToken(token).mint(distributor, funds)); // the operator funds claims ahead; the nightly needs no top-up
      long deployedAt = anvil.web3.ethBlockNumber().send().getBlockNumber().longValueExact();
      LocalDate first = LocalDate.ofInstant(DistributorState.read(admin, distributor).chainTime(), ZoneOffset.UTC).minusDays(1);

      // The twin starts from the same records, models and gateway and never crashes.
      Path twinRoot = work.resolve("twin");
      copy(Path.of(lakehouse.root()), twinRoot);
      Lakehouse twin = new Lakehouse(spark(), twinRoot.toUri());

      BigInteger allFees = BigInteger.ZERO;
      for (int night = 0; night < CRASHES.size(); night++) {
        Crash crash = CRASHES.get(night);
        LocalDate epoch = first.plusDays(night);
        NightlyFixture.Day day = fixture.answers(epoch, ANSWERS, night * ANSWERS);
        BigInteger fees = day.fees();
        NightlyFixture.land(work.resolve("landing"), epoch, day);
        allFees = allFees.add(fees);

        Optional<String> twinRootOfNight = Optional.empty();
        if (night < TWIN_NIGHTS) {
          for (String[] task : List.of(ingest(), attribute(epoch), build(epoch, "twin-distributions"))) {
            expectSuccess(twin, task);
          }
          twinRootOfNight = Optional.of(new DistributionLedger(twin).require(epoch).root());
        }

        List<String> tasks = List.of("accept_previous", "ingest_inferences", "attribute", "build_distribution", "report", "propose_root");
        int crashed = tasks.indexOf(crash.task());
        for (String task : tasks.subList(0, crashed)) {
          expectSuccess(lakehouse, task(task, epoch));
        }
        BigInteger nonceBefore = updater.nonce(false);
        killAt(crash.at(), task(crash.task(), epoch), epoch);
        Optional<String> builtBeforeTheCrash = new DistributionLedger(lakehouse).find(epoch).map(d -> d.root());
        for (String task : tasks.subList(crashed, tasks.size())) {
          expectSuccess(lakehouse, task(task, epoch));
        }

        String what = "night " + night + " (" + epoch + "), killed at " + crash.at().id();
        Row inferences = lakehouse.read(Tables.INFERENCES).where(col("epoch").equalTo(java.sql.Date.valueOf(epoch)))
            .selectExpr("count(*)", "count(DISTINCT inference_id)", "sum(fee_wei)").head();
        assertEquals(ANSWERS, inferences.getLong(0), what + ": every answer is logged once");
        assertEquals(ANSWERS, inferences.getLong(1), what);
        assertEquals(fees, ((BigDecimal) inferences.get(2)).toBigIntegerExact(), what);
        assertEquals(0, lakehouse.read(Tables.QUARANTINE).where(col("kind").equalTo(LandingKind.INFERENCES.lineValue())).count(), what + ": nothing quarantined (no duplicates from the re-run)");
        assertEquals(1, lakehouse.read(Tables.INGESTED_FILES).where(col("path").contains(epoch.toString())).count(), what + ": the log file is ingested once");
        Row rewards = lakehouse.read(Tables.EPOCH_REWARDS).where(col("epoch").equalTo(java.sql.Date.valueOf(epoch))).selectExpr("sum(amount_wei)").head();
        assertEquals(fees, ((BigDecimal) rewards.get(0)).toBigIntegerExact(), what + ": the fees are split exactly once");
        Row credited = lakehouse.read(Tables.ATTRIBUTIONS).where(col("epoch").equalTo(java.sql.Date.valueOf(epoch)))
            .selectExpr("count(*)", "count(DISTINCT inference_id, coalesce(record_id, ''), contributor, method)", "count(DISTINCT inference_id)").head();
        assertEquals(credited.getLong(0), credited.getLong(1), what + ": no attribution row twice");
        assertEquals(ANSWERS, credited.getLong(2), what + ": every answer attributed");

        var row = new DistributionLedger(lakehouse).require(epoch);
        String reference = twinRootOfNight.or(() -> builtBeforeTheCrash).orElseThrow(() -> new AssertionError(what + ": no reference root"));
        assertEquals(reference, row.root(), what + ": the root the run would have had without the crash");
        assertEquals(DistributionStatus.PROPOSED, row.status(), what);
        DistributorState.PendingRoot pending = DistributorState.read(updater, distributor).pending().orElseThrow();
        assertEquals(epoch, pending.epoch(), what);
        assertEquals(row.root(), pending.root(), what + ": the root on chain is the root built");
        assertEquals(List.of(epoch), submitted(deployedAt).stream().filter(epoch::equals).toList(), what + ": one RootSubmitted");
        assertEquals(nonceBefore.add(BigInteger.ONE), updater.nonce(false), what + ": one transaction sent, the root's");

        anvil.increaseTime(Duration.ofDays(1).toSeconds());
      }
      expectSuccess(lakehouse, task("accept_previous", first.plusDays(CRASHES.size())));

      for (Row b : lakehouse.read(Tables.EPOCH_REWARDS).select("account").distinct().collectAsList()) {
        Cli.Run claim = Cli.run("claim", "--lakehouse", lakehouse.root().toString(), "--rpc", anvil.url, "--chain-id", String.valueOf(anvil.chainId),
            "--distributor", distributor, "--account", b.getString(0), "--send", "--keystore", updaterKeystore.toString());
        assertEquals(0, claim.code(), claim.out() + claim.err());
      }
      BigInteger claimed = admin.read(admin.distributor(distributor).totalClaimed());
      assertEquals(allFees, claimed, "every account claimed what the fees paid, no more");
      assertEquals(funds.subtract(allFees), admin.read(admin.erc20(token).balanceOf(distributor)), "the distributor paid nothing twice");
    }
  }

  /** The nightly_rewards task {@code task} of {@code epoch}, as the DAG runs it. */
  private String[] task(String task, LocalDate epoch) {
    return switch (task) {
      case "accept_previous" -> withChain(List.of("rewards", "accept"), "--keystore", updaterKeystore.toString());
      case "ingest_inferences" -> ingest();
      case "attribute" -> attribute(epoch);
      case "build_distribution" -> build(epoch, "distributions");
      case "report" -> withChain(List.of("report", "--epoch", epoch.toString(), "--out", work.resolve("reports").toString()));
      case "propose_root" -> withChain(List.of("rewards", "propose", "--epoch", epoch.toString()), "--keystore", updaterKeystore.toString());
      default -> throw new IllegalArgumentException("no nightly task " + task);
    };
  }

  private String[] ingest() {
    return new String[] {"ingest", "inferences", "--landing", work.resolve("landing").toString()};
  }

  private String[] attribute(LocalDate epoch) {
    return new String[] {"attribute", "--epoch", epoch.toString(), "--treasury", treasury, "--cache", work.resolve("cache").toString()};
  }

  private String[] build(LocalDate epoch, String folder) {
    return withChain(List.of("rewards", "build", "--epoch", epoch.toString(), "--artifacts", work.resolve(folder).toString()));
  }

  private String[] withChain(List<String> command, String... more) {
    return Stream.of(command, List.of("--rpc", anvil.url, "--chain-id", String.valueOf(anvil.chainId), "--distributor", distributor), List.of(more))
        .flatMap(List::stream).toArray(String[]::new);
  }

  private static void expectSuccess(Lakehouse on, String[] task) {
    String[] args = Stream.concat(Stream.of(task), Stream.of("--lakehouse", on.root().toString())).toArray(String[]::new);
    Cli.Run run = Cli.run(args);
    assertEquals(0, run.code(), () -> String.join(" ", args) + "\n" + run.out() + run.err());
  }

  /** Runs {@code task} in its own JVM with {@code point} armed, and kills it with SIGKILL once it waits there. */
  private void killAt(Failpoint point, String[] task, LocalDate epoch) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.") || a.startsWith("-Dio.netty"))
        .forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), PayableMain.class.getName()));
    command.addAll(List.of(task));
    command.addAll(List.of("--lakehouse", lakehouse.root().toString()));
    Path log = work.resolve("crash-" + epoch + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put(Failpoint.ENV, point.id());
    Process child = pb.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!Files.readString(log).contains("failpoint " + point.id() + " reached")) {
      if (!child.isAlive()) {
        throw new AssertionError(String.join(" ", task) + " ended (exit " + child.exitValue() + ") before reaching failpoint " + point.id() + ":\n"
            + Files.readString(log));
      }
      assertTrue(System.nanoTime() < deadline, () -> "waited 4 min for failpoint " + point.id());
      Thread.sleep(100);
    }
    child.destroyForcibly(); // SIGKILL
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, child.exitValue(), "killed by SIGKILL");
  }

  /** The epochs of every RootSubmitted since deployment. */
  private List<LocalDate> submitted(long fromBlock) throws IOException {
    EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(fromBlock), DefaultBlockParameterName.LATEST, distributor);
    filter.addSingleTopic(EventEncoder.encode(RewardsDistributor.ROOTSUBMITTED_EVENT));
    List<LocalDate> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : anvil.web3.ethGetLogs(filter).send().getLogs()) {
      out.add(LocalDate.ofEpochDay(RewardsDistributor.getRootSubmittedEventFromLog((Log) r.get()).epoch.longValueExact()));
    }
    return out;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
