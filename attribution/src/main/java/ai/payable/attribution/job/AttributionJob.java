package ai.payable.attribution.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.djl.ndarray.NDManager;
import ai.payable.attribution.combine.Method;
import ai.payable.attribution.combine.ShareRule;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.attribution.span.SpanIndex;
import ai.payable.attribution.split.Allocation;
import ai.payable.attribution.split.FeeSplit;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.training.engine.Engines;
import ai.payable.training.job.TrainingData;
import ai.payable.training.registry.ModelRecord;
import ai.payable.training.registry.ModelRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The nightly Proof of Attribution for one epoch (a UTC day): for every logged answer, the training
 * records of the model that gave it are scored (gradient influence through the adapter's LoRA
 * parameters, spans of the output found in the training corpus, retrieval), combined by the
 * {@link ShareRule}, and the answer's fee is split exactly into protocol, model builder and data
 * contributor rewards. Writes the epoch's {@code attributions} and {@code epoch_rewards}, each
 * replacing the epoch's partition in one Delta commit, so a re-run (after a crash or not) gives the
 * same rows and never double counts.
 *
 * <p>Determinism: answers are processed in {@code inference_id} order, projections are seeded, and
 * scores are quantised to 2⁻²⁰ of each answer's largest score before they decide any share, so
 * floating-point noise in the last bits cannot move money.
 */
public final class AttributionJob {

  /** Roles in {@code epoch_rewards}. */
  public static final String DATA = "data";
  public static final String BUILDER = "model_builder";
  public static final String PROTOCOL = "protocol";

  /** What a run produced. */
  public record Summary(LocalDate epoch, int answers, int fallbackAnswers, BigInteger fees, BigInteger rewards, Map<String, Integer> methods) {}

  private final Lakehouse lakehouse;
  private final AttributionSettings settings;
  private final Path cache;
  private final Progress progress;
  private final ModelRegistry registry;
  private final Configuration hadoop;

  public AttributionJob(Lakehouse lakehouse, AttributionSettings settings, Path cache, Progress progress) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.cache = cache;
    this.progress = progress;
    this.registry = new ModelRegistry(lakehouse);
    this.hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
  }

  private record Answer(String inferenceId, String modelId, String adapterId, String prompt, String output, BigInteger fee,
      Map<String, Double> retrieved) {}

  private record Corpus(List<String> recordIds, Map<String, String> contributorOf, List<int[]> tokens) {}

  /**
   * One answer's evidence under each method (the top candidates, quantised as for payment) and the
   * combined shares the nightly run pays by: what a researcher compares when asking why an answer
   * paid whom.
   */
  public record Explanation(String inferenceId, String model, Map<Method, Map<String, Double>> byMethod, List<ShareRule.Share> combined) {}

  /** Explains one answer of {@code epoch} without writing anything. */
  public Explanation explain(LocalDate epoch, String inferenceId) throws IOException {
    List<Answer> answers = answers(epoch, inferenceId);
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("no answer " + inferenceId + " in epoch " + epoch + " of " + lakehouse.root());
    }
    Answer a = answers.get(0);
    String key = a.adapterId() != null ? a.adapterId() : a.modelId();
    Map<String, Optional<ModelRecord>> models = Map.of(key, registry.find(key));
    Map<String, String> contributorOfRecord = new HashMap<>();
    lakehouse.read(Tables.RECORDS).select("record_id", "contributor").collectAsList().forEach(r -> contributorOfRecord.put(r.getString(0), r.getString(1)));
    if (models.get(key).isEmpty()) {
      return new Explanation(a.inferenceId(), key, Map.of(), List.of());
    }
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      Map<Method, Map<String, Double>> evidence = methodEvidence(models.get(key).get(), answers, evidence(answers, models), contributorOfRecord, manager).get(0);
      return new Explanation(a.inferenceId(), key, evidence, settings.rule().combine(evidence));
    }
  }

  /** The answers of an epoch in {@code inference_id} order, or just one of them. */
  private List<Answer> answers(LocalDate epoch, String onlyInferenceId) {
    lakehouse.ensure(Tables.INFERENCES);
    List<Answer> answers = new ArrayList<>();
    org.apache.spark.sql.Column where = col("epoch").equalTo(lit(Date.valueOf(epoch)));
    if (onlyInferenceId != null) {
      where = where.and(col("inference_id").equalTo(lit(onlyInferenceId)));
    }
    for (Row r : lakehouse.read(Tables.INFERENCES).where(where).orderBy("inference_id").collectAsList()) {
      Map<String, Double> retrieved = new LinkedHashMap<>();
      List<Row> items = r.getList(r.fieldIndex("retrieved"));
      for (Row item : items) {
        if (!item.isNullAt(0)) {
          retrieved.merge(item.getString(0), item.isNullAt(1) ? 1.0 : item.getDouble(1), Double::sum);
        }
      }
      answers.add(new Answer(r.getAs("inference_id"), r.getAs("model_id"), r.getAs("adapter_id"), r.getAs("prompt"), r.getAs("output"),
          r.<BigDecimal>getAs("fee_wei").toBigIntegerExact(), retrieved));
    }
    return answers;
  }

  /** Attributes {@code epoch}. */
  public Summary run(LocalDate epoch) throws IOException {
    progress.step("reading answers of " + epoch);
    List<Answer> answers = answers(epoch, null);
    Map<String, List<Answer>> byModel = new TreeMap<>();
    for (Answer a : answers) {
      byModel.computeIfAbsent(a.adapterId() != null ? a.adapterId() : a.modelId(), k -> new ArrayList<>()).add(a);
    }
    Map<String, String> contributorOfRecord = new HashMap<>();
    lakehouse.read(Tables.RECORDS).select("record_id", "contributor").collectAsList().forEach(r -> contributorOfRecord.put(r.getString(0), r.getString(1)));

    List<Row> attributionRows = new ArrayList<>();
    Map<String, Map<String, BigInteger>> rewards = new TreeMap<>(); // role → account → wei
    Map<String, Integer> methodCounts = new TreeMap<>();
    BigInteger fees = BigInteger.ZERO;
    int fallbacks = 0;
    Map<String, Optional<ModelRecord>> models = new TreeMap<>();
    byModel.keySet().forEach(key -> models.put(key, registry.find(key)));
    Map<String, Evidence> perAnswer = evidence(answers, models);
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      for (Map.Entry<String, List<Answer>> group : byModel.entrySet()) {
        Optional<ModelRecord> model = models.get(group.getKey());
        progress.step("scoring " + group.getValue().size() + " answers of " + group.getKey());
        List<List<ShareRule.Share>> shares = model.isPresent()
            ? score(model.get(), group.getValue(), perAnswer, contributorOfRecord, manager)
            : group.getValue().stream().map(a -> List.<ShareRule.Share>of()).toList();
        Corpus corpus = model.isPresent() ? corpus(model.get()) : null;
        for (int i = 0; i < group.getValue().size(); i++) {
          Answer a = group.getValue().get(i);
          fees = fees.add(a.fee());
          FeeSplit.Parts parts = settings.fees().split(a.fee());
          add(rewards, PROTOCOL, settings.treasury(), parts.protocol());
          add(rewards, BUILDER, model.flatMap(ModelRecord::owner).orElse(settings.treasury()), parts.builder());
          Map<String, Double> byContributor = new TreeMap<>();
          List<ShareRule.Share> s = shares.get(i);
          if (!s.isEmpty()) {
            for (ShareRule.Share share : s) {
              String contributor = contributorOfRecord.get(share.recordId());
              byContributor.merge(contributor, share.share(), Double::sum);
              attributionRows.add(RowFactory.create(Date.valueOf(epoch), a.inferenceId(), share.recordId(), contributor, share.method().label(),
                  share.score(), share.share()));
              methodCounts.merge(share.method().label(), 1, Integer::sum);
            }
          } else if (corpus != null && !corpus.recordIds().isEmpty()) {
            fallbacks++;
            for (String record : corpus.recordIds()) {
              byContributor.merge(corpus.contributorOf().get(record), 1.0 / corpus.recordIds().size(), Double::sum);
            }
            byContributor.forEach((contributor, share) -> attributionRows.add(RowFactory.create(Date.valueOf(epoch), a.inferenceId(), null, contributor,
                Method.FALLBACK.label(), 0.0, share)));
            methodCounts.merge(Method.FALLBACK.label(), 1, Integer::sum);
          } else {
            // An answer of a model we do not know, or of a base no DataNet trained: nobody's data can
            // be credited, so its data part goes to the treasury, as protocol revenue, not as a
            // contributor's reward.
            fallbacks++;
            attributionRows.add(RowFactory.create(Date.valueOf(epoch), a.inferenceId(), null, settings.treasury(), Method.FALLBACK.label(), 0.0, 1.0));
            methodCounts.merge(Method.FALLBACK.label(), 1, Integer::sum);
            add(rewards, PROTOCOL, settings.treasury(), parts.data());
            continue;
          }
          if (parts.data().signum() > 0) {
            Allocation.split(parts.data(), Allocation.weights(byContributor, 1_000_000_000L)).forEach((account, wei) -> add(rewards, DATA, account, wei));
          }
        }
      }
    }

    progress.step("writing attributions and epoch_rewards for " + epoch);
    List<Row> rewardRows = new ArrayList<>();
    BigInteger paid = BigInteger.ZERO;
    for (Map.Entry<String, Map<String, BigInteger>> role : rewards.entrySet()) {
      for (Map.Entry<String, BigInteger> e : role.getValue().entrySet()) {
        if (e.getValue().signum() > 0) {
          rewardRows.add(RowFactory.create(Date.valueOf(epoch), e.getKey(), role.getKey(), new BigDecimal(e.getValue())));
          paid = paid.add(e.getValue());
        }
      }
    }
    if (!paid.equals(fees)) {
      throw new IllegalStateException("epoch " + epoch + ": rewards sum to " + paid + " wei but fees to " + fees + "; nothing written");
    }
    replace(Tables.ATTRIBUTIONS, epoch, attributionRows);
    replace(Tables.EPOCH_REWARDS, epoch, rewardRows);
    progress.step("");
    return new Summary(epoch, answers.size(), fallbacks, fees, paid, methodCounts);
  }

  /** An answer's model-bound evidence, computed by Spark: its query gradient (or null) and span credits. */
  private record Evidence(float[] query, Map<String, Double> span) {}

  /** Runs {@link AnswerEvidence} over the answers of known models, partitioned by model. */
  private Map<String, Evidence> evidence(List<Answer> answers, Map<String, Optional<ModelRecord>> models) throws IOException {
    Map<String, AnswerEvidence.Plan> plans = new HashMap<>();
    for (Map.Entry<String, Optional<ModelRecord>> m : models.entrySet()) {
      if (m.getValue().isEmpty()) {
        continue;
      }
      ModelRecord model = m.getValue().get();
      ensureSpanIndex(model);
      boolean adapter = model.kind() == ModelKind.ADAPTER;
      String baseUri = adapter ? registry.require(model.parentId().orElseThrow()).artifactUri() : model.artifactUri();
      int dim = 0;
      long seed = 0;
      List<String> modules = List.of();
      if (adapter && !features(model).isEmpty()) {
        Row first = features(model).get(0);
        dim = first.getAs("projection_dim");
        seed = first.getAs("projection_seed");
        modules = List.copyOf(first.getList(first.fieldIndex("modules")));
      }
      plans.put(m.getKey(), new AnswerEvidence.Plan(baseUri, adapter ? model.artifactUri() : null, dim, seed, modules, model.artifactUri()));
    }
    List<Row> rows = new ArrayList<>();
    for (Answer a : answers) {
      String key = a.adapterId() != null ? a.adapterId() : a.modelId();
      if (plans.containsKey(key)) {
        rows.add(RowFactory.create(a.inferenceId(), key, a.prompt(), a.output()));
      }
    }
    Map<String, Evidence> out = new HashMap<>();
    if (rows.isEmpty()) {
      return out;
    }
    progress.step("query gradients and spans of " + rows.size() + " answers (Spark, one model load per partition)");
    Map<String, String> hadoopSettings = new HashMap<>();
    hadoop.forEach(e -> {
      if (e.getKey().startsWith("fs.")) {
        hadoopSettings.put(e.getKey(), e.getValue());
      }
    });
    List<Row> computed = lakehouse.spark().createDataFrame(rows, AnswerEvidence.INPUT).repartition(col("model_key"))
        .mapPartitions(new AnswerEvidence(plans, hadoopSettings, cache.toAbsolutePath().toString(), settings.minSpanTokens()),
            org.apache.spark.sql.Encoders.row(AnswerEvidence.OUTPUT))
        .collectAsList();
    for (Row r : computed) {
      float[] query = null;
      if (!r.isNullAt(1)) {
        List<Float> q = r.getList(1);
        query = new float[q.size()];
        for (int i = 0; i < query.length; i++) {
          query[i] = q.get(i);
        }
      }
      out.put(r.getString(0), new Evidence(query, new HashMap<>(r.getJavaMap(2))));
    }
    return out;
  }

  private List<List<ShareRule.Share>> score(ModelRecord model, List<Answer> answers, Map<String, Evidence> perAnswer, Map<String, String> contributorOf,
      NDManager manager) {
    List<List<ShareRule.Share>> out = new ArrayList<>();
    for (Map<Method, Map<String, Double>> e : methodEvidence(model, answers, perAnswer, contributorOf, manager)) {
      out.add(settings.rule().combine(e));
    }
    return out;
  }

  /** Each answer's candidates under each method: retrieval, span and (for adapters) gradient influence. */
  private List<Map<Method, Map<String, Double>>> methodEvidence(ModelRecord model, List<Answer> answers, Map<String, Evidence> perAnswer,
      Map<String, String> contributorOf, NDManager manager) {
    List<Map<Method, Map<String, Double>>> evidence = new ArrayList<>();
    for (Answer a : answers) {
      Map<Method, Map<String, Double>> e = new EnumMap<>(Method.class);
      Map<String, Double> known = new LinkedHashMap<>();
      a.retrieved().forEach((record, score) -> {
        if (contributorOf.containsKey(record)) {
          known.put(record, score);
        }
      });
      if (!known.isEmpty()) {
        e.put(Method.RETRIEVAL, known);
      }
      Map<String, Double> span = top(perAnswer.get(a.inferenceId()).span());
      if (!span.isEmpty()) {
        e.put(Method.SPAN, span);
      }
      evidence.add(e);
    }
    if (model.kind() == ModelKind.ADAPTER) {
      List<Row> features = features(model);
      if (!features.isEmpty()) {
        Row first = features.get(0);
        int dim = first.getAs("projection_dim");
        int modules = first.getList(first.fieldIndex("modules")).size();
        List<String> ids = new ArrayList<>();
        float[][] g = new float[features.size()][];
        for (int k = 0; k < features.size(); k++) {
          ids.add(features.get(k).getAs("record_id"));
          List<Float> f = features.get(k).getList(features.get(k).fieldIndex("features"));
          g[k] = new float[f.size()];
          for (int j = 0; j < g[k].length; j++) {
            g[k][j] = f.get(j);
          }
        }
        try (InfluenceIndex index = InfluenceIndex.build(ids, g, modules, dim, settings.estimator(), settings.damping(), manager)) {
          int block = InfluenceIndex.BLOCK;
          for (int from = 0; from < answers.size(); from += block) {
            List<Answer> part = answers.subList(from, Math.min(answers.size(), from + block));
            float[][] v = new float[part.size()][];
            for (int i = 0; i < part.size(); i++) {
              float[] q = perAnswer.get(part.get(i).inferenceId()).query();
              v[i] = q != null ? q : new float[modules * dim];
            }
            List<List<InfluenceIndex.Scored>> top = index.top(v, settings.candidates());
            for (int i = 0; i < part.size(); i++) {
              Map<String, Double> helpful = new LinkedHashMap<>();
              for (InfluenceIndex.Scored s : top.get(i)) {
                helpful.put(s.recordId(), (double) s.helpfulness());
              }
              Map<String, Double> quantised = top(helpful);
              if (!quantised.isEmpty()) {
                evidence.get(from + i).put(Method.GRADIENT, quantised);
              }
            }
          }
        }
      }
    }
    return evidence;
  }

  /** Keeps the {@code candidates} best positive scores, quantised to 2⁻²⁰ of the best. */
  private Map<String, Double> top(Map<String, Double> scores) {
    double max = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    if (!(max > 0)) {
      return Map.of();
    }
    List<Map.Entry<String, Double>> ranked = new ArrayList<>();
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      double q = Math.rint(e.getValue() / max * (1 << 20));
      if (q > 0) {
        ranked.add(Map.entry(e.getKey(), q / (1 << 20) * max));
      }
    }
    ranked.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : ranked.subList(0, Math.min(settings.candidates(), ranked.size()))) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private final Map<String, List<Row>> featureRows = new HashMap<>();

  /** The adapter's {@code gradient_features} rows in record id order, read once per run. */
  private List<Row> features(ModelRecord model) {
    return featureRows.computeIfAbsent(model.modelId(), id ->
        lakehouse.read(Tables.GRADIENT_FEATURES).where(col("model_id").equalTo(lit(id))).orderBy("record_id").collectAsList());
  }

  private final Map<String, Corpus> corpora = new HashMap<>();

  /** The model's training records (split = train), tokenised as in training, in record id order. */
  private Corpus corpus(ModelRecord model) {
    return corpora.computeIfAbsent(model.modelId(), id -> {
      List<Row> rows = lakehouse.snapshot(Tables.RECORDS, model.recordsVersion())
          .join(lakehouse.read(Tables.TRAINING_EXAMPLES).where(col("model_id").equalTo(lit(id)).and(col("split").equalTo(lit("train")))).select("record_id"),
              "record_id")
          .select("record_id", "contributor", "kind", "prompt", "completion", "text").orderBy("record_id").collectAsList();
      List<String> ids = new ArrayList<>();
      Map<String, String> contributors = new HashMap<>();
      List<int[]> tokens = new ArrayList<>();
      for (Row r : rows) {
        ids.add(r.getString(0));
        contributors.put(r.getString(0), r.getString(1));
        tokens.add(SpanIndex.bytes(TrainingData.text(r.getString(2), r.getString(3), r.getString(4), r.getString(5))));
      }
      return new Corpus(ids, contributors, tokens);
    });
  }

  /** Builds the model's span index once per model version and stores it in the model's folder. */
  private void ensureSpanIndex(ModelRecord model) throws IOException {
    java.net.URI folder = java.net.URI.create(model.artifactUri());
    boolean local = "file".equals(folder.getScheme());
    if (local && Files.exists(Path.of(folder).resolve(AnswerEvidence.SPAN_INDEX))) {
      return;
    }
    if (!local) {
      try {
        ArtifactStore.open(model.artifactUri(), AnswerEvidence.SPAN_INDEX, hadoop).close();
        return;
      } catch (java.io.FileNotFoundException missing) {
        // build it below
      }
    }
    progress.step("building the span index of " + model.modelId());
    Corpus corpus = corpus(model);
    SpanIndex index = SpanIndex.build(corpus.recordIds(), corpus.tokens());
    if (local) {
      index.write(Path.of(folder).resolve(AnswerEvidence.SPAN_INDEX));
    } else {
      Path staged = Files.createTempDirectory("span-index");
      index.write(staged.resolve(AnswerEvidence.SPAN_INDEX));
      String path = folder.toString().endsWith("/") ? folder.toString().substring(0, folder.toString().length() - 1) : folder.toString();
      ArtifactStore.at(path.substring(0, path.lastIndexOf('/')), hadoop).publishStaged(path.substring(path.lastIndexOf('/') + 1), staged);
    }
  }

  private static void add(Map<String, Map<String, BigInteger>> rewards, String role, String account, BigInteger wei) {
    if (wei.signum() > 0) {
      // One spelling per account, so the distribution's per-account sums never see two.
      rewards.computeIfAbsent(role, r -> new TreeMap<>()).merge(ai.payable.core.identity.Address.parse(account).checksummed(), wei, BigInteger::add);
    }
  }

  private void replace(ai.payable.core.catalog.TableDef table, LocalDate epoch, List<Row> rows) {
    lakehouse.ensure(table);
    lakehouse.spark().createDataFrame(rows, table.schema()).write().format("delta").mode("overwrite")
        .option("replaceWhere", "epoch = '" + epoch + "'").save(lakehouse.path(table));
  }
}
