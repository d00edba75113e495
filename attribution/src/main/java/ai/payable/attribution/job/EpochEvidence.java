package ai.payable.attribution.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;

import ai.payable.attribution.gradient.GradientScoring;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.core.catalog.AttributionMethod;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Every answer's evidence under each method: retrieval from its log line; span matches and gradient
 * influence computed by Spark ({@link AnswerEvidence} on the answers, {@link GradientScoring}
 * against the adapter's {@code gradient_features}). Only each answer's best candidates reach the
 * driver, quantised as they will be paid.
 */
final class EpochEvidence {

  /** Gradient batches per evidence task: a task loads its model once and takes the gradients of its batches one after another. */
  static final int BATCHES_PER_TASK = 64;

  private final Lakehouse lakehouse;
  private final AttributionSettings settings;
  private final Path cache;
  private final Progress progress;

  EpochEvidence(Lakehouse lakehouse, AttributionSettings settings, Path cache, Progress progress) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.cache = cache;
    this.progress = progress;
  }

  /** inference id → method → record id → score, for every answer (empty maps where nothing was found). */
  Map<String, Map<AttributionMethod, Map<String, Double>>> gather(EpochAnswers epoch, Map<String, ModelPlans.ModelPlan> plans) {
    Map<String, Map<AttributionMethod, Map<String, Double>>> evidence = new TreeMap<>();
    java.util.Set<String> answering = new java.util.TreeSet<>();
    for (EpochAnswers.Answer a : epoch.answers()) {
      Map<AttributionMethod, Map<String, Double>> e = new EnumMap<>(AttributionMethod.class);
      if (!a.retrieved().isEmpty()) {
        e.put(AttributionMethod.RETRIEVAL, new LinkedHashMap<>(a.retrieved()));
      }
      evidence.put(a.inferenceId(), e);
      answering.add(a.modelKey());
    }
    Map<String, AnswerEvidence.Plan> known = new HashMap<>();
    plans.forEach((key, plan) -> {
      if (plan.evidence() != null) {
        known.put(key, plan.evidence());
      }
    });
    if (!known.isEmpty()) {
      computeOnExecutors(epoch, known, answering, evidence, plans);
    }
    return evidence;
  }

  /** Span credits and gradient candidates, computed by Spark; each answer's best candidates are added to {@code evidence}. */
  private void computeOnExecutors(EpochAnswers epoch, Map<String, AnswerEvidence.Plan> known, java.util.Set<String> answering,
      Map<String, Map<AttributionMethod, Map<String, Double>>> evidence, Map<String, ModelPlans.ModelPlan> plans) {
    Map<String, String> hadoopSettings = new HashMap<>();
    lakehouse.spark().sparkContext().hadoopConfiguration().forEach(e -> {
      if (e.getKey().startsWith("fs.")) {
        hadoopSettings.put(e.getKey(), e.getValue());
      }
    });
    progress.step("query gradients and spans of the answers of " + known.size() + " models (Spark, one model load per task)");
    Dataset<Row> computed = epoch.texts(known.keySet())
        .repartition(col("model_key"), floor(col("batch").divide(BATCHES_PER_TASK)))
        .mapPartitions(new AnswerEvidence(known, hadoopSettings, cache.toAbsolutePath().toString(), settings.minSpanTokens()),
            Encoders.row(AnswerEvidence.OUTPUT))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      for (Row r : computed.select("inference_id", "span").collectAsList()) {
        Map<String, Double> span = candidates(r.getJavaMap(1));
        // Batch mates of an answer being explained are computed too, and not kept.
        if (!span.isEmpty() && evidence.containsKey(r.getString(0))) {
          evidence.get(r.getString(0)).put(AttributionMethod.SPAN, span);
        }
      }
      int partitions = Integer.parseInt(lakehouse.spark().conf().get("spark.sql.shuffle.partitions"));
      for (ModelPlans.ModelPlan plan : plans.values()) {
        if (!plan.scoresGradients() || !answering.contains(plan.key())) {
          continue;
        }
        progress.step("scoring the answers of " + plan.key() + " against its training records' gradients (Spark)");
        Dataset<Row> features = lakehouse.read(Tables.GRADIENT_FEATURES).where(col("model_id").equalTo(lit(plan.model().orElseThrow().modelId())));
        Dataset<Row> queries = computed.where(col("model_key").equalTo(lit(plan.key())).and(col("query").isNotNull()));
        Map<String, List<InfluenceIndex.Scored>> best = GradientScoring.top(features, queries, plan.evidence().modules().size(), plan.evidence().dim(),
            settings.estimator(), settings.damping(), settings.scaling(), settings.candidates(), partitions);
        best.forEach((inferenceId, scored) -> {
          Map<String, Double> helpful = new LinkedHashMap<>();
          scored.forEach(s -> helpful.put(s.recordId(), s.helpfulness()));
          Map<String, Double> gradient = candidates(helpful);
          if (!gradient.isEmpty() && evidence.containsKey(inferenceId)) {
            evidence.get(inferenceId).put(AttributionMethod.GRADIENT, gradient);
          }
        });
      }
    } finally {
      computed.unpersist();
    }
  }

  /** Keeps the {@code candidates} best positive scores, quantised to 2⁻²⁰ of the best; ties by record id. */
  Map<String, Double> candidates(Map<String, Double> scores) {
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

  /** The contributor of each of {@code recordIds} that {@code records} holds (a join on the executors; only these pairs come back). */
  Map<String, String> contributors(Collection<String> recordIds) {
    Map<String, String> out = new HashMap<>();
    if (recordIds.isEmpty()) {
      return out;
    }
    Dataset<Row> ids = lakehouse.spark().createDataset(new ArrayList<>(recordIds), Encoders.STRING()).toDF("record_id");
    for (Row r : lakehouse.read(Tables.RECORDS).select("record_id", "contributor").join(ids, "record_id").collectAsList()) {
      out.put(r.getString(0), r.getString(1));
    }
    return out;
  }
}
