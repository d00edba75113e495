package ai.payable.cli.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.payable.attribution.audit.AuditedRecord;
import ai.payable.attribution.audit.TrainingAudit;
import ai.payable.attribution.job.AttributionJob;
import ai.payable.attribution.job.AttributionSettings;
import ai.payable.cli.demo.DemoQuestions.Asked;
import ai.payable.cli.demo.PayoutCheck.Checked;
import ai.payable.cli.report.ReportCommand;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.RewardRole;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.identity.Address;
import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.TokenUnits;
import ai.payable.core.retry.RetryPolicy;
import ai.payable.core.submission.SubmissionSigner;
import ai.payable.governance.report.GovernanceReport;
import ai.payable.governance.report.ReportSettings;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.gateway.GatewayRegistry;
import ai.payable.pipelines.ingest.InferenceIngestJob;
import ai.payable.pipelines.ingest.IngestSummary;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.sample.SampleQuestion;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.ContributorClaim;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.DistributorState;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.JournaledSender;
import ai.payable.rewards.chain.LocalAnvil;
import ai.payable.rewards.chain.RootAcceptance;
import ai.payable.rewards.chain.RootPoster;
import ai.payable.rewards.chain.TokenMetadata;
import ai.payable.rewards.distribution.DistributionBuilder;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.merkle.ClaimProof;
import ai.payable.rewards.merkle.DistributionFiles;
import ai.payable.rewards.site.ClaimSite;
import ai.payable.training.infer.BatchInference;
import ai.payable.training.job.TrainingJob;
import ai.payable.training.job.TrainingProgress;
import ai.payable.training.registry.ModelImport;
import ai.payable.training.retrieval.RecordIndex;
import ai.payable.training.spec.TrainingSpec;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;

/**
 * The product end to end on sample data, calling each stage's API and keeping its typed summary:
 * signed records ingested, a pretrained base imported, one LoRA adapter per DataNet trained on it,
 * retrieval indexes built, two days of questions answered (mixed adapters in one batch, with and
 * without retrieval), and each night attributed, built into a Merkle root, proposed and accepted on
 * a local chain, claimed, and reported. Prints what a person checks: the answers, and whether the
 * owner of each fact asked about was paid for it.
 */
final class Demo {

  static final LocalDate DAY1 = LocalDate.parse("2026-11-23");
  static final LocalDate DAY2 = LocalDate.parse("2026-11-24");

  /**
   * What to run.
   *
   * @param base a pretrained model in Hugging Face layout, imported under its folder's name
   * @param specs a folder of {@code adapter-*.yaml} training specs on that base
   * @param questions questions per DataNet and day
   * @param retrieve records retrieved into a grounded question's prompt
   */
  record Settings(Path work, Path repo, Path base, Path specs, int records, int contributors, int questions, int retrieve, int maxNewTokens) {}

  /** One day of the demo: what each stage reported. */
  record Day(LocalDate epoch, BatchInference.Summary served, IngestSummary logs, AttributionJob.Summary attributed, List<Checked> checks,
      DistributionBuilder.Distribution distribution, RootPoster.Result proposed, RootAcceptance.Result accepted, String claimant,
      ContributorClaim.Receipt claim, BigInteger cumulative, GovernanceReport.Written report, ClaimSite.Written site) {}

  /** The whole run. */
  record Outcome(IngestSummary records, ModelRow base, List<TrainingJob.Result> adapters, List<RecordIndex.Result> indexes, List<Day> days,
      Map<String, Double> secondsByStep) {

    /** Every checked answer of both days. */
    List<Checked> checks() {
      return days.stream().flatMap(d -> d.checks().stream()).toList();
    }
  }

  private final Settings settings;
  private final Lakehouse lakehouse;
  private final PrintStream out;
  private final Progress progress = Progress.toStderr();
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private long stepStarted;
  private String step;

  Demo(Settings settings, Lakehouse lakehouse, PrintStream out) {
    this.settings = settings;
    this.lakehouse = lakehouse;
    this.out = out;
  }

  Outcome run() throws Exception {
    Path work = settings.work();
    String models = work.resolve("models").toAbsolutePath().toString();
    Path cache = work.resolve("cache");

    step("ingest", "1. Sample DataNets: " + settings.records() + " signed records from " + settings.contributors() + " contributors, with bad and copied lines");
    Path sample = work.resolve("sample");
    SampleSubmissions.write(sample, settings.records(), settings.contributors(), 0.08, "2026-11-20", 42);
    new DataNetRegistry(lakehouse).register(DataNetSpecs.read(sample.resolve("datanets.yaml")));
    IngestSummary records = new SubmissionIngestJob(lakehouse).run(sample.resolve("landing").toUri());
    out.print(records.render(false));

    step("train", "2. Import the pretrained base, train one LoRA adapter per DataNet on it (CPU), and audit each adapter's training records");
    ModelRow base = new ModelImport(lakehouse, models, progress).run(settings.base(), Optional.empty());
    out.printf(Locale.ROOT, "base %s: %,.0f parameters, %.0f layers%n", base.modelId(), base.metrics().get("parameters"), base.metrics().get("layers"));
    List<TrainingSpec> specs = new ArrayList<>();
    try (Stream<Path> files = Files.list(settings.specs())) {
      for (Path p : files.filter(p -> p.getFileName().toString().matches("adapter-.*\\.yaml")).sorted().toList()) {
        specs.add(TrainingSpec.read(p));
      }
    }
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("--specs " + settings.specs() + " has no adapter-*.yaml training specs");
    }
    List<TrainingJob.Result> adapters = new TrainingJob(lakehouse, models, cache, progress, TrainingProgress.toStderr("")).runAll(specs);
    Map<String, String> adapterOf = new LinkedHashMap<>(); // DataNet → adapter name
    for (TrainingJob.Result r : adapters) {
      ModelRow m = r.model();
      m.datanets().forEach(d -> adapterOf.putIfAbsent(d, m.name()));
      out.printf(Locale.ROOT, "adapter %-28s on %-12s %d records, %s, %.0f s%n", m.name(), String.join(",", m.datanets()), r.trainRecords(),
          m.metrics().containsKey("heldout_perplexity") ? String.format(Locale.ROOT, "held-out perplexity %.2f", m.metrics().get("heldout_perplexity"))
              : "nothing held out", m.metrics().get("train_seconds"));
      r.warnings().forEach(w -> out.printf("  warning: %s%n", w));
    }
    TrainingAudit audit = new TrainingAudit(lakehouse, TrainingAudit.Settings.defaults(), cache, progress);
    for (TrainingJob.Result r : adapters) {
      TrainingAudit.Summary a = audit.run(r.model().modelId());
      AuditedRecord top = a.records().get(0);
      out.printf(Locale.ROOT, "audit %-30s %d records, %d flagged at z ≥ %.1f; highest self-influence z %.2f: %s%n", r.model().name(), a.records().size(),
          a.flagged().size(), a.settings().rule().threshold(), top.outlierScore(), top.excerpt());
    }

    step("index", "3. Build the retrieval indexes (BM25) over each DataNet's accepted records");
    ArtifactStore store = ArtifactStore.at(models, lakehouse.spark().sparkContext().hadoopConfiguration());
    RecordIndex index = new RecordIndex(lakehouse, store, cache.resolve("index-staging"), progress);
    List<RecordIndex.Result> indexes = new ArrayList<>();
    for (String datanet : new DataNetRegistry(lakehouse).load().keySet()) {
      RecordIndex.Result r = index.build(datanet);
      indexes.add(r);
      out.printf(Locale.ROOT, "%-14s %,d records at records version %d%n", datanet, r.records(), r.recordsVersion());
    }

    step("answer", "4. The gateway answers two days of questions: one base, every adapter in each batch, with and without retrieval");
    // Both days are answered before any attribution runs in this JVM: attribution's PyTorch work in
    // Spark task threads leaves a native worker thread that halved later inference throughput
    // (measured: 10.1 s, then 18.9 s for the same 72 answers). In production the gateway is a
    // separate service anyway.
    List<SampleQuestion> all = SampleQuestion.read(sample.resolve(SampleSubmissions.QUESTIONS));
    Set<String> accepted = new HashSet<>();
    lakehouse.read(Tables.RECORDS).select("record_id").collectAsList().forEach(r -> accepted.add(r.getString(0)));
    Set<String> used = new HashSet<>();
    // The gateway signs every log line with its own key; registered here, so its logs are paid.
    GatewaySigner signer = new GatewaySigner(SampleSubmissions.demoKey(2000));
    new GatewayRegistry(lakehouse).register("demo-gateway", signer.address(), "the demo's gateway");
    BatchInference gateway = new BatchInference(lakehouse, cache, store, signer, progress);
    List<LocalDate> epochs = List.of(DAY1, DAY2);
    Map<LocalDate, List<Asked>> askedOn = new LinkedHashMap<>();
    Map<LocalDate, BatchInference.Summary> served = new LinkedHashMap<>();
    for (int d = 0; d < epochs.size(); d++) {
      LocalDate day = epochs.get(d);
      List<Asked> asked = DemoQuestions.pick(all, accepted, used, adapterOf, settings.questions(), d + 1, settings.retrieve());
      asked.forEach(a -> used.add(a.question().recordId()));
      Path prompts = DemoQuestions.write(asked, work.resolve("prompts/" + day + ".jsonl"));
      BatchInference.Summary s = gateway.run(base.name(), List.copyOf(adapterOf.values()), prompts, log(day),
          new BatchInference.Settings(settings.maxNewTokens(), 0f, 1f, 8, 1, BigInteger.TEN.pow(15), Instant.parse(day + "T06:00:00Z"), 300, 0));
      out.printf(Locale.ROOT, "%s: %d answers in %.1f s (%.1f tokens/s) → %s%n", day, s.answers(), s.seconds(), s.tokens() / Math.max(s.seconds(), 1e-9), log(day));
      askedOn.put(day, asked);
      served.put(day, s);
    }

    List<Day> days = new ArrayList<>();
    String treasury = Address.parse("0x" + org.web3j.crypto.Keys.getAddress(SampleSubmissions.demoKey(1000))).checksummed(); // no key in the project
    AttributionSettings attribution = AttributionSettings.defaults(treasury);
    try (LocalAnvil anvil = LocalAnvil.start(settings.repo().toAbsolutePath(), Files.createDirectories(work.resolve("anvil")));
        ChainConnection connection = ChainConnection.open(anvil.url, anvil.chainId, RetryPolicy.DEFAULT)) {
      step("chain", "5. Start a local chain (anvil) and deploy the token and the RewardsDistributor");
      // The operator is anvil's first development account; its key stays in memory.
      EvmClient operator = new EvmClient(connection, anvil.accounts.get(0), 200);
      DistributorDeployment deployed = DistributorDeployment.withTestToken(operator, DistributorDeployment.MIN_TIMELOCK, BigInteger.TEN.pow(24));
      TokenUnits units = TokenMetadata.read(operator, deployed.distributor());
      out.printf("chain %d at %s: distributor %s paying token %s (%s, %d decimals)%n", anvil.chainId, anvil.url,
          Address.parse(deployed.distributor()).checksummed(), deployed.token(), units.symbol(), units.decimals());

      String claimant = null;
      for (int d = 0; d < epochs.size(); d++) {
        LocalDate day = epochs.get(d);
        step("attribute " + day, (5 + 2 * d + 1) + ". The nightly run for " + day + ": ingest the answers, attribute them, check who was paid");
        IngestSummary logs = new InferenceIngestJob(lakehouse).run(log(day).getParent().toUri());
        out.print(logs.render(false));
        AttributionJob.Summary attributed = new AttributionJob(lakehouse, attribution, cache, progress).run(day);
        out.printf("%d answers attributed (%d on the fallback); %s of fees → %s of rewards; credited records by method %s%n", attributed.answers(),
            attributed.fallbackAnswers(), units.format(attributed.fees()), units.format(attributed.rewards()), attributed.methods());
        List<Checked> checks = PayoutCheck.check(lakehouse, day, askedOn.get(day), log(day), attribution.fees());
        out.println();
        PayoutCheck.print(checks, d == 0 ? 3 : 1, units, out);

        if (d == epochs.size() - 1) {
          plantCopy(day);
        }

        step("pay " + day, (5 + 2 * d + 2) + ". Pay " + day + ": build the Merkle root, propose it, review it in the governance report while its "
            + "timelock runs, accept it, claim");
        DistributionBuilder.Distribution distribution = new DistributionBuilder(lakehouse, work.resolve("distributions").toString())
            .build(day, deployed.domain(operator), units);
        out.printf("root %s: %d accounts, %s this epoch, %s cumulative%n", distribution.root(), distribution.accounts(), units.format(distribution.epochTotal()),
            units.format(distribution.cumulativeTotal()));
        RootPoster.Result proposed = new RootPoster(lakehouse, operator, deployed.distributor(), JournaledSender.Settings.DEFAULT)
            .propose(day, RootPoster.Funding.REFUSE);
        out.printf("proposed in tx %s (%s); its one-hour timelock is the review window%n", proposed.txHash(), proposed.outcome());
        // The report governance reviews is written while the root is pending, as the nightly run writes it: with the time left and the
        // commands that would stop the root.
        DistributorState pending = DistributorState.read(EvmClient.readOnly(connection), deployed.distributor());
        GovernanceReport.Written report = new GovernanceReport(lakehouse, ReportSettings.DEFAULT).write(day, work.resolve("reports"),
            Optional.of(ReportCommand.onChain(pending, deployed.distributor(), anvil.chainId)), List.of(), units);
        out.printf("governance report of the pending root: %s%n", report.html().toAbsolutePath());
        out.printf("  %d checks ran, %d anomal%s to review%s%n", report.checks().size(), report.anomalies().size(), report.anomalies().size() == 1 ? "y" : "ies",
            report.anomalies().isEmpty() ? "" : ": " + String.join("; ", report.anomalies().stream().map(a -> a.kind().title() + " (" + a.subject() + ")").toList()));
        anvil.increaseTime(DistributorDeployment.MIN_TIMELOCK.toSeconds());
        RootAcceptance.Result acceptedRoot = new RootAcceptance(new DistributionLedger(lakehouse), operator, deployed.distributor()).accept();
        out.printf("nobody revoked it: accepted after the timelock in tx %s%n", acceptedRoot.txHash());
        ClaimSite.Written site = new ClaimSite(lakehouse).write(day, work.resolve("claim-sites/" + day));
        out.printf("the contributors' claim page of %s (%,d accounts in %,d proof shards): python3 -m http.server --directory %s 8000, then open "
            + "http://127.0.0.1:8000/ and look up an address (claiming from a wallet needs this demo's chain, which stops with it)%n", day,
            site.proofs().accounts(), site.proofs().shards(), site.folder());
        if (claimant == null) {
          claimant = topContributor(day, askedOn.get(day));
        }
        ClaimProof proof = ClaimProof.find(ArtifactStore.open(distribution.location().toString(), DistributionFiles.PROOFS,
                lakehouse.spark().sparkContext().hadoopConfiguration()), Address.parse(claimant), distribution.location() + "/" + DistributionFiles.PROOFS)
            .orElseThrow(() -> new IllegalStateException("the claimant has no proof in " + distribution.location()));
        ContributorClaim claims = new ContributorClaim(operator, deployed.distributor());
        ContributorClaim.Receipt claim;
        if (claims.quote(proof).claimable().signum() > 0) {
          claim = claims.send(proof);
          out.printf("%s claimed %s in tx %s (cumulative balance %s, all of it claimed now)%n", claimant, units.formatWithWei(claim.amount()), claim.txHash(),
              units.format(proof.balance().cumulativeWei()));
        } else {
          claim = new ContributorClaim.Receipt(null, BigInteger.ZERO);
          out.printf("%s earned nothing new this epoch; no claim sent%n", claimant);
        }
        out.printf("what the claimant is owed, from the published files alone: bin/payable claim --account %s --distribution %s%n", claimant,
            distribution.location());
        days.add(new Day(day, served.get(day), logs, attributed, checks, distribution, proposed, acceptedRoot, claimant, claim, proof.balance().cumulativeWei(),
            report, site));
      }
    }
    step(null, null);
    return new Outcome(records, base, adapters, indexes, days, seconds);
  }

  /**
   * Plants what governance should catch, so the last day's report shows a real anomaly: another
   * account re-signs and submits the record that earned most on {@code day}. Ingestion quarantines
   * the copy (the earliest submission wins), and the report flags the copied record and the copier.
   */
  private void plantCopy(LocalDate day) throws java.io.IOException {
    lakehouse.registerViews();
    Row top = lakehouse.spark().sql("SELECT a.record_id, r.datanet, r.license, r.kind, r.prompt, r.completion, r.text FROM attributions a "
        + "JOIN records r ON r.record_id = a.record_id WHERE a.epoch = DATE'" + day + "' GROUP BY a.record_id, r.datanet, r.license, r.kind, r.prompt, "
        + "r.completion, r.text ORDER BY sum(a.share) DESC, a.record_id LIMIT 1").head();
    SubmissionSigner copier = new SubmissionSigner(SampleSubmissions.demoKey(settings.contributors() + 7));
    Path landing = Files.createDirectories(settings.work().resolve("copier-landing/" + day));
    Files.writeString(landing.resolve("copier.jsonl"), copier.signLine(top.getString(1), top.getString(2), top.getString(3), top.getString(4),
        top.getString(5), top.getString(6), day + "T09:00:00Z") + "\n");
    IngestSummary copied = new SubmissionIngestJob(lakehouse).run(landing.toUri());
    out.printf("planted for the review: %s re-signed and submitted record %s, which earned most on %s; ingestion quarantined it (%s)%n",
        copier.address().checksummed(), top.getString(0), day, String.join(", ", copied.reasons().keySet()));
  }

  /**
   * Who claims in the demo: of the contributors whose facts were asked about on {@code day}, the one
   * with the largest data reward (the treasury, paid for answers no DataNet stood behind, is not one).
   */
  private String topContributor(LocalDate day, List<Asked> asked) {
    Set<Address> owners = new HashSet<>();
    asked.forEach(a -> owners.add(Address.parse(a.question().owner())));
    for (Row r : lakehouse.read(Tables.EPOCH_REWARDS).where(col("epoch").equalTo(lit(java.sql.Date.valueOf(day))).and(col("role").equalTo(lit(RewardRole.DATA.value()))))
        .orderBy(col("amount_wei").desc(), col("account")).select("account").collectAsList()) {
      if (owners.contains(Address.parse(r.getString(0)))) {
        return Address.parse(r.getString(0)).checksummed();
      }
    }
    throw new IllegalStateException("no contributor whose facts were asked about on " + day + " earned a data reward");
  }

  private Path log(LocalDate day) {
    return settings.work().resolve("inference-logs/" + day + "/gateway-" + day + ".jsonl");
  }

  /** Starts step {@code name} under {@code title} (null: ends the last), timing the one before. */
  private void step(String name, String title) {
    long now = System.nanoTime();
    if (step != null) {
      seconds.put(step, (now - stepStarted) / 1e9);
    }
    step = name;
    stepStarted = now;
    if (title != null) {
      out.printf("%n\033[1m== %s\033[0m%n", title);
    }
  }
}
