package ai.payable.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import ai.payable.attribution.job.AttributionJob;
import ai.payable.attribution.job.AttributionSettings;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.config.Progress;
import ai.payable.core.identity.Address;
import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.inference.InferenceLogLine;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.lakehouse.SparkSessions;
import ai.payable.core.money.TokenUnits;
import ai.payable.core.money.Wei;
import ai.payable.core.retry.RetryPolicy;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.gateway.GatewayRegistry;
import ai.payable.pipelines.ingest.InferenceIngestJob;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.ContributorClaim;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.DistributorGovernance;
import ai.payable.rewards.chain.DistributorState;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.JournaledSender;
import ai.payable.rewards.chain.LocalAnvil;
import ai.payable.rewards.chain.RootAcceptance;
import ai.payable.rewards.chain.RootPoster;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.distribution.DistributionBuilder;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.merkle.ClaimDomain;
import ai.payable.rewards.merkle.ClaimProof;
import ai.payable.rewards.merkle.DistributionFiles;
import ai.payable.training.job.TrainingJob;
import ai.payable.training.spec.TrainingSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.ECKeyPair;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The nightly money path over many nights, as a data team would run it: on anvil, with separate
 * admin, updater and guardian keys, the real timelock honoured by moving the chain's clock a day
 * per night, and the faults the schedule must survive: a night governance revokes, a log that
 * lands after its day was paid, and a night the chain stops mining mid-proposal. Each night first
 * accepts the previous night's root if its timelock has passed, then ingests the day's signed
 * logs, attributes, builds, funds from a treasury that approved the updater, and proposes.
 *
 * <p>At the end every account claims, and the figures that must hold are checked: every fee was
 * attributed, Σ claimable = Σ epoch rewards (data, builder, protocol) = Σ fees, every root that
 * was not revoked was accepted exactly once, and the distributor is left with nothing.
 *
 * <pre>benchmarks/run schedule [--nights 14] [--answers 6]</pre>
 */
public final class ScheduleSimulation {

  /**
   * What to simulate.
   *
   * @param revokedNight the night (0-based) whose root the guardian revokes
   * @param lateLogNight the night a log of two days before lands
   * @param stalledNight the night the chain mines nothing while the root is proposed
   */
  public record Settings(int nights, int answersPerNight, int revokedNight, int lateLogNight, int stalledNight, Path repo, Path work) {}

  /** What happened, and the sums that must agree. */
  public record Outcome(int nights, BigInteger fees, Map<String, BigInteger> rewardsByRole, BigInteger finalCumulative, BigInteger claimed,
      BigInteger leftInDistributor, int rootsAccepted, List<LocalDate> acceptedEpochs, int revoked, long lateAnswers, Map<LocalDate, String> statusByEpoch,
      double seconds) {

    /** Σ epoch rewards over every role. */
    public BigInteger rewards() {
      return rewardsByRole.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
    }
  }

  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration TIMELOCK = Duration.ofHours(12);

  private final Lakehouse lakehouse;
  private final Settings settings;
  private final List<String> log = new ArrayList<>();

  public ScheduleSimulation(Lakehouse lakehouse, Settings settings) {
    this.lakehouse = lakehouse;
    this.settings = settings;
  }

  /** The lines printed while running. */
  public List<String> log() {
    return log;
  }

  public static void main(String[] args) throws Exception {
    // A fresh folder per run: logs and samples of an earlier run would all be ingested on the first night.
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("build/bench/schedule").toAbsolutePath()), "run-");
    Path root = work.resolve("lakehouse");
    Lakehouse lakehouse = new Lakehouse(SparkSessions.getOrCreate(new PayableConfig(root.toUri(), "local[2]", 2, Optional.empty())), root.toUri());
    int nights = Args.intArg(args, "--nights", 14);
    Settings s = new Settings(nights, Args.intArg(args, "--answers", 6), Math.min(4, nights - 2), Math.min(6, nights - 1), Math.min(9, nights - 1),
        Path.of("").toAbsolutePath(), work);
    ScheduleSimulation simulation = new ScheduleSimulation(lakehouse, s);
    Outcome o = simulation.run(line -> System.out.println(line));
    System.out.printf(Locale.ROOT, "RESULT schedule nights=%d fees=%s rewards=%s %s final_cumulative=%s claimed=%s left=%s roots_accepted=%d "
        + "distinct_epochs_accepted=%d revoked=%d late_answers=%d seconds=%.0f%n", o.nights(), o.fees(), o.rewards(), o.rewardsByRole(), o.finalCumulative(),
        o.claimed(), o.leftInDistributor(), o.rootsAccepted(), new java.util.HashSet<>(o.acceptedEpochs()).size(), o.revoked(), o.lateAnswers(), o.seconds());
    o.statusByEpoch().forEach((e, st) -> System.out.println("  " + e + "  " + st));
  }

  /** Runs every night, then every claim; {@code out} receives a line per step. */
  public Outcome run(java.util.function.Consumer<String> out) throws Exception {
    long started = System.nanoTime();
    Path work = settings.work();
    Path sample = work.resolve("sample");
    SampleSubmissions.write(sample, 40, 4, 0, "2026-11-01", 7);
    new DataNetRegistry(lakehouse).register(DataNetSpecs.read(sample.resolve("datanets.yaml")));
    new SubmissionIngestJob(lakehouse).run(sample.resolve("landing").toUri());
    Path cache = work.resolve("cache");
    String models = work.resolve("models").toString();

    try (LocalAnvil anvil = LocalAnvil.start(settings.repo(), Files.createDirectories(work.resolve("anvil")));
        ChainConnection connection = ChainConnection.open(anvil.url, anvil.chainId, RetryPolicy.DEFAULT)) {
      EvmClient admin = new EvmClient(connection, anvil.accounts.get(0), 50);
      EvmClient updater = new EvmClient(connection, anvil.accounts.get(1), 50);
      EvmClient guardian = new EvmClient(connection, anvil.accounts.get(2), 50);
      EvmClient treasury = new EvmClient(connection, anvil.accounts.get(3), 50);
      String builder = Address.parse(anvil.accounts.get(4).getAddress()).checksummed();

      TrainingJob training = new TrainingJob(lakehouse, models, cache, Progress.silent(), (s, n, l, t, sec) -> {});
      String base = training.run(TrainingSpec.parse("""
          name: sim-base
          kind: teacher
          datanets: [dermatology, contracts, agronomy]
          model: {hidden_size: 16, layers: 1, heads: 2, intermediate_size: 32, context: 64}
          epochs: 1
          """, "sim-base.yaml")).model().modelId();
      String adapter = training.run(TrainingSpec.parse("""
          name: sim-contracts
          kind: adapter
          base: sim-base
          owner: "%s"
          datanets: [contracts]
          lora: {rank: 2, alpha: 4, targets: [q_proj]}
          epochs: 1
          features: {projection_dim: 4}
          """.formatted(builder), "sim-adapter.yaml")).model().modelId();
      GatewaySigner gateway = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0x5c4e_d01eL).shiftLeft(160).add(BigInteger.ONE)));
      new GatewayRegistry(lakehouse).register("sim-gateway", gateway.address(), "the simulation's gateway");
      List<Row> records = lakehouse.read(Tables.RECORDS).where(col("datanet").equalTo("contracts").and(col("kind").equalTo("qa")))
          .orderBy("record_id").collectAsList();

      String token = DistributorDeployment.deployTestToken(admin);
      DistributorDeployment deployment = DistributorDeployment.deploy(admin, token, new DistributorDeployment.Roles(admin.from(), updater.from(),
          guardian.from()), TIMELOCK, Duration.ofDays(2));
      ClaimDomain domain = deployment.domain(admin);
      admin.execute(token, admin.testToken(token).mint(treasury.from(), BigInteger.TEN.pow(30)));
      treasury.execute(token, treasury.erc20(token).approve(updater.from(), BigInteger.TEN.pow(30)));
      long deployedAt = connection.web3().ethBlockNumber().send().getBlockNumber().longValueExact();
      AttributionSettings attribution = AttributionSettings.defaults(Address.parse(treasury.from()).checksummed());
      DistributionBuilder builds = new DistributionBuilder(lakehouse, work.resolve("distributions").toString());
      DistributionLedger ledger = new DistributionLedger(lakehouse);
      RootPoster.Funding fromTreasury = new RootPoster.Funding(true, Optional.of(Address.parse(treasury.from()).checksummed()));

      LocalDate firstEpoch = LocalDate.ofInstant(DistributorState.read(admin, deployment.distributor()).chainTime(), ZoneOffset.UTC).minusDays(1);
      int revoked = 0;
      for (int night = 0; night < settings.nights(); night++) {
        LocalDate epoch = firstEpoch.plusDays(night);
        RootAcceptance.Result accepted = new RootAcceptance(ledger, updater, deployment.distributor()).accept();
        accepted.pending().ifPresent(p -> say(out, "night " + epoch + ": accepted the root of " + p.epoch()));

        Path logs = Files.createDirectories(work.resolve("logs/" + epoch));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < settings.answersPerNight(); i++) {
          Row r = records.get((night * settings.answersPerNight() + i) % records.size());
          lines.add(answer(gateway, epoch + "-" + i, epoch.atTime(8 + i % 10, 0).toInstant(ZoneOffset.UTC), base, adapter, r, i % 2 == 0, night, i));
        }
        if (night == settings.lateLogNight()) {
          Row r = records.get(0);
          lines.add(answer(gateway, "late-" + epoch, epoch.minusDays(2).atTime(23, 30).toInstant(ZoneOffset.UTC), base, adapter, r, false, night, 99));
          say(out, "night " + epoch + ": a log of " + epoch.minusDays(2) + " lands late");
        }
        Files.write(logs.resolve("gateway.jsonl"), lines);
        new InferenceIngestJob(lakehouse).run(work.resolve("logs").toUri());
        AttributionJob.Summary attributed = new AttributionJob(lakehouse, attribution, cache, Progress.silent()).run(epoch);
        builds.build(epoch, domain, TokenUnits.WEI);

        if (night == settings.stalledNight()) {
          anvil.automine(false);
          try {
            new RootPoster(lakehouse, updater, deployment.distributor(), new JournaledSender.Settings(1, Duration.ofMillis(500), 1, Duration.ofSeconds(30)))
                .propose(epoch, fromTreasury);
            throw new IllegalStateException("the stalled chain mined a proposal");
          } catch (IOException stalled) {
            say(out, "night " + epoch + ": the chain mines nothing; the proposal stops: " + stalled.getMessage());
          }
          anvil.automine(true);
          anvil.mine();
        }
        RootPoster.Result proposed = new RootPoster(lakehouse, updater, deployment.distributor(), JournaledSender.Settings.DEFAULT).propose(epoch, fromTreasury);
        say(out, String.format(Locale.ROOT, "night %s: %d answers, fees %s wei, root %s %s", epoch, attributed.answers(), attributed.fees(),
            proposed.root().substring(0, 10), proposed.outcome()));
        if (night == settings.revokedNight()) {
          var call = new DistributorGovernance(guardian, deployment.distributor()).revokePendingRoot().orElseThrow();
          String tx = call.send(guardian);
          ledger.mark(epoch, proposed.root(), DistributionStatus.BUILT, tx);
          revoked++;
          say(out, "night " + epoch + ": governance revokes the root; its rewards move into the next night's");
        }
        anvil.increaseTime(DAY.toSeconds());
      }
      // The last root waits out its timelock, then is accepted.
      new RootAcceptance(ledger, updater, deployment.distributor()).accept();

      BigInteger fees = decimal(lakehouse.read(Tables.INFERENCES).agg(sum("fee_wei")).head());
      Map<String, BigInteger> byRole = new LinkedHashMap<>();
      for (Row r : lakehouse.read(Tables.EPOCH_REWARDS).groupBy("role").agg(sum("amount_wei")).orderBy("role").collectAsList()) {
        byRole.put(r.getString(0), ((BigDecimal) r.get(1)).toBigIntegerExact());
      }
      LocalDate last = firstEpoch.plusDays(settings.nights() - 1);
      var finalRow = ledger.require(last);
      BigInteger claimed = BigInteger.ZERO;
      ContributorClaim claims = new ContributorClaim(admin, deployment.distributor());
      String folder = finalRow.artifactUri();
      for (Row b : lakehouse.read(Tables.EPOCH_REWARDS).select("account").distinct().collectAsList()) {
        Optional<ClaimProof> proof = ClaimProof.find(ArtifactStore.open(folder, DistributionFiles.PROOFS, lakehouse.spark().sparkContext()
            .hadoopConfiguration()), Address.parse(b.getString(0)), folder);
        if (proof.isPresent() && claims.quote(proof.get()).claimable().signum() > 0) {
          claimed = claimed.add(claims.send(proof.get()).amount());
        }
      }
      RewardsDistributor d = admin.distributor(deployment.distributor());
      List<LocalDate> acceptedEpochs = acceptedEpochs(connection, deployment.distributor(), deployedAt);
      Map<LocalDate, String> status = new LinkedHashMap<>();
      for (int night = 0; night < settings.nights(); night++) {
        LocalDate e = firstEpoch.plusDays(night);
        status.put(e, ledger.require(e).status().value());
      }
      long late = lakehouse.read(Tables.INFERENCES).where("to_date(ts) <> epoch").count();
      return new Outcome(settings.nights(), fees, byRole, finalRow.cumulativeTotalWei(), claimed,
          admin.read(admin.erc20(token).balanceOf(deployment.distributor())), acceptedEpochs.size(), acceptedEpochs, revoked, late, status,
          (System.nanoTime() - started) / 1e9);
    }
  }

  /** A signed log line: the adapter answers with the record's own completion (span evidence), retrieving it on even answers. */
  private static String answer(GatewaySigner gateway, String id, java.time.Instant ts, String base, String adapter, Row record, boolean retrieve, int night,
      int i) {
    List<InferenceLogLine.Retrieved> retrieved = retrieve ? List.of(new InferenceLogLine.Retrieved(record.getAs("record_id"), 0.9)) : List.of();
    BigInteger fee = BigInteger.valueOf(1_000_000_000_000_003L).multiply(BigInteger.valueOf(1 + (night * 7L + i) % 5));
    return gateway.sign(new InferenceLogLine(id, ts, base, adapter, record.getAs("prompt"), record.getAs("completion"), 20, 12, new Wei(fee), retrieved, null))
        .toJson();
  }

  private static List<LocalDate> acceptedEpochs(ChainConnection connection, String distributor, long fromBlock) throws IOException {
    EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(fromBlock), DefaultBlockParameterName.LATEST, distributor);
    filter.addSingleTopic(EventEncoder.encode(RewardsDistributor.ROOTACCEPTED_EVENT));
    List<LocalDate> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : connection.web3().ethGetLogs(filter).send().getLogs()) {
      out.add(LocalDate.ofEpochDay(RewardsDistributor.getRootAcceptedEventFromLog((Log) r.get()).epoch.longValueExact()));
    }
    return out;
  }

  private static BigInteger decimal(Row r) {
    return r.isNullAt(0) ? BigInteger.ZERO : ((BigDecimal) r.get(0)).toBigIntegerExact();
  }

  private void say(java.util.function.Consumer<String> out, String line) {
    log.add(line);
    out.accept(line);
  }
}
