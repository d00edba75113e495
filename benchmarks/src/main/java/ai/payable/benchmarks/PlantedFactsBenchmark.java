package ai.payable.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.djl.ndarray.NDManager;
import ai.payable.attribution.combine.ShareRule;
import ai.payable.attribution.gradient.FeatureScaling;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.benchmarks.fidelity.RealModelFidelity;
import ai.payable.core.catalog.AcceptedRecord;
import ai.payable.core.catalog.AttributionMethod;
import ai.payable.core.catalog.GradientFeatureRow;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.sample.SampleQuestion;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.features.GradientFeatures;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.registry.LoadedModel;
import ai.payable.training.registry.ModelRegistry;
import ai.payable.training.span.SpanIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Attribution fidelity on the real model: for the SmolLM2 adapters trained on the sample DataNets
 * (after {@code make demo}), every planted fact of a record the adapter trained on is asked (by
 * name, and without the entity's name), answered by a terse statement of the fact
 * ({@code "<entity>: <fact> and <fact>."}, as a model would, not the record's wording), and scored
 * against the adapter's training records: is the owner's record among the top 10 by gradient
 * evidence alone (DataInf, TracIn), by span matching alone, and by the combined rule, and what share
 * of the answer's data fee would the owner get (closed book: no retrieval).
 * Usage: {@code benchmarks/run planted [--lakehouse DIR] [--questions FILE] [--damping 0.1] [--dump DIR]
 * [--features DIM:LAYERS] [--weights gradient=0.5,span=0.5] [--scaling module-unit|raw]};
 * {@code --dump} writes each adapter's record and answer features for study in a notebook
 * ({@link FeatureDump}).
 */
public final class PlantedFactsBenchmark {

  /** The sample adapters' {@code max_length}. */
  private static final int MAX_LENGTH = 384;

  private PlantedFactsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path lakehouseDir = Path.of("lakehouse");
    Path questionsFile = Path.of("build/demo/sample/questions.jsonl");
    double damping = 0.1;
    FeatureScaling scaling = FeatureScaling.MODULE_UNIT; // the nightly attribution's default
    Path dump = null;
    int[] recompute = null; // {dim, layers}: features recomputed from the trained adapter
    ShareRule rule = ShareRule.DEFAULT;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--lakehouse" -> lakehouseDir = Path.of(args[++i]);
        case "--questions" -> questionsFile = Path.of(args[++i]);
        case "--damping" -> damping = Double.parseDouble(args[++i]);
        case "--scaling" -> scaling = FeatureScaling.of(args[++i]);
        case "--dump" -> dump = Path.of(args[++i]);
        case "--weights" -> rule = new ShareRule(ShareRule.parseWeights(args[++i]), ShareRule.DEFAULT.topK(), ShareRule.DEFAULT.floor());
        case "--features" -> recompute = java.util.Arrays.stream(args[++i].split(":")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --lakehouse DIR, --questions FILE, --damping X, --dump DIR, "
            + "--features DIM:LAYERS, --weights gradient=W,span=W, --scaling module-unit|raw)");
      }
    }
    Lakehouse lakehouse = Lakehouse.open(PayableConfig.from(lakehouseDir.toAbsolutePath().toString(), Map.of()));
    List<SampleQuestion> questions = SampleQuestion.read(questionsFile);
    ModelRegistry registry = new ModelRegistry(lakehouse);
    Map<String, String> contributorOf = new HashMap<>();
    for (Row r : lakehouse.read(Tables.RECORDS).select("record_id", "contributor").collectAsList()) {
      contributorOf.put(r.getString(0), r.getString(1));
    }
    int asked = 0;
    int[] hits = new int[4]; // DataInf, TracIn, span, combined
    double ownerShare = 0;
    double randomRecall = 0; // a random ranking's chance of the owner's record in the top 10
    int records = 0;
    List<String> adapters = lakehouse.read(Tables.MODELS).where(col("kind").equalTo(lit(ModelKind.ADAPTER.value()))).select("model_id").orderBy("model_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    for (String adapterId : adapters) {
      ModelRow adapter = registry.require(adapterId);
      List<Row> features = lakehouse.read(Tables.GRADIENT_FEATURES).where(col("model_id").equalTo(lit(adapterId))).orderBy("record_id").collectAsList();
      if (features.isEmpty()) {
        continue;
      }
      List<String> ids = new ArrayList<>();
      float[][] g = new float[features.size()][];
      for (int k = 0; k < g.length; k++) {
        GradientFeatureRow row = GradientFeatureRow.fromRow(features.get(k));
        ids.add(row.recordId());
        g[k] = row.features();
      }
      GradientFeatureRow first = GradientFeatureRow.fromRow(features.get(0));
      int dim = first.projectionDim();
      long seed = first.projectionSeed();
      List<String> moduleNames = first.modules();
      List<SampleQuestion> mine = questions.stream().filter(q -> ids.contains(q.recordId())).toList();
      records += ids.size();
      String base = registry.require(adapter.parentId().orElseThrow()).artifactUri();
      try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
          LoadedModel loaded = LoadedModel.open(base, adapter.artifactUri(), Path.of("build/cache"), lakehouse.spark().sparkContext().hadoopConfiguration(),
              manager)) {
        // The span index is the one training wrote into the adapter's folder.
        SpanIndex spans = loaded.spans();
        LlamaModel model = loaded.model();
        ChatFormat format = loaded.format();
        if (recompute != null) {
          // The training records' features again, at another width or from the top layers only.
          dim = recompute[0];
          moduleNames = model.adaptedModulesOfTopLayers(recompute[1]);
          g = recordFeatures(lakehouse, ids, format, model, dim, seed, moduleNames);
        }
        int modules = moduleNames.size();
        List<TokenSequence> sequences = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        List<SampleQuestion> of = new ArrayList<>();
        for (SampleQuestion q : mine) {
          String answer = RealModelFidelity.terseAnswer(q.entity(), q.expected());
          for (String asking : List.of(q.question(), q.unnamedQuestion())) {
            sequences.add(format.answer(asking, answer));
            answers.add(answer);
            of.add(q);
          }
        }
        List<GradientFeatures.Feature> query;
        try (GradientFeatures gradients = new GradientFeatures(model, dim, seed, 8, moduleNames)) {
          query = gradients.of(sequences);
        }
        float[][] v = query.stream().map(GradientFeatures.Feature::features).toArray(float[][]::new);
        List<Map<String, Double>> spanCredits = answers.stream().map(a -> spans.credit(SpanIndex.bytes(a), 16)).toList();
        if (dump != null) {
          FeatureDump.write(dump.resolve(adapterId), ids, g, v, of.stream().map(SampleQuestion::recordId).toList(), answers, modules, dim,
              ids.stream().map(contributorOf::get).toList(), spanCredits);
        }
        List<List<InfluenceIndex.Scored>> dataInf;
        List<List<InfluenceIndex.Scored>> tracIn;
        float[][] scaledRecords = scaling.apply(g, modules, dim);
        float[][] scaledAnswers = scaling.apply(v, modules, dim);
        try (InfluenceIndex d = InfluenceIndex.build(ids, scaledRecords, modules, dim, InfluenceIndex.Estimator.DATAINF, damping, manager);
            InfluenceIndex t = InfluenceIndex.build(ids, scaledRecords, modules, dim, InfluenceIndex.Estimator.TRACIN, 0.1, manager)) {
          dataInf = d.top(scaledAnswers, 50);
          tracIn = t.top(scaledAnswers, 50);
        }
        for (int i = 0; i < of.size(); i++) {
          String owner = of.get(i).recordId();
          asked++;
          randomRecall += Math.min(10.0, ids.size()) / ids.size();
          hits[0] += top10(dataInf.get(i)).contains(owner) ? 1 : 0;
          hits[1] += top10(tracIn.get(i)).contains(owner) ? 1 : 0;
          Map<String, Double> span = spanCredits.get(i);
          hits[2] += span.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(10).anyMatch(e -> e.getKey().equals(owner))
              ? 1 : 0;
          Map<AttributionMethod, Map<String, Double>> evidence = new EnumMap<>(AttributionMethod.class);
          Map<String, Double> helpful = new LinkedHashMap<>();
          dataInf.get(i).forEach(s -> helpful.put(s.recordId(), s.helpfulness()));
          evidence.put(AttributionMethod.GRADIENT, helpful);
          if (!span.isEmpty()) {
            evidence.put(AttributionMethod.SPAN, span);
          }
          List<ShareRule.Share> shares = rule.combine(evidence);
          hits[3] += shares.stream().limit(10).anyMatch(s -> s.recordId().equals(owner)) ? 1 : 0;
          String contributor = contributorOf.get(owner);
          ownerShare += shares.stream().filter(s -> contributorOf.get(s.recordId()).equals(contributor)).mapToDouble(ShareRule.Share::share).sum();
        }
        System.err.printf(Locale.ROOT, "-> %s: %d questions about %d training records (span index: %d records)%n", adapterId, of.size(), ids.size(),
            spans.records());
      }
    }
    System.out.printf(Locale.ROOT, "RESULT planted_real scaling=%s answers=%d records_per_adapter=%d datainf_recall10=%.3f tracin_recall10=%.3f span_recall10=%.3f "
        + "combined_recall10=%.3f owner_share=%.3f random_recall10=%.3f%n", scaling.value(), asked, records / Math.max(1, adapters.size()), hits[0] / (double) asked,
        hits[1] / (double) asked, hits[2] / (double) asked, hits[3] / (double) asked, ownerShare / asked, randomRecall / asked);
    lakehouse.spark().stop();
  }

  /** The features of records {@code ids}, laid out as training laid them out. */
  private static float[][] recordFeatures(Lakehouse lakehouse, List<String> ids, ChatFormat format, LlamaModel model, int dim, long seed,
      List<String> modules) {
    Map<String, TokenSequence> byId = new HashMap<>();
    for (Row r : lakehouse.read(Tables.RECORDS).where(col("record_id").isin(ids.toArray()))
        .select(AcceptedRecord.COLUMNS).collectAsList()) {
      AcceptedRecord e = AcceptedRecord.fromRow(r);
      byId.put(e.recordId(), format.record(e).truncated(MAX_LENGTH));
    }
    try (GradientFeatures gradients = new GradientFeatures(model, dim, seed, 8, modules)) {
      return gradients.of(ids.stream().map(byId::get).toList()).stream().map(GradientFeatures.Feature::features).toArray(float[][]::new);
    }
  }

  private static List<String> top10(List<InfluenceIndex.Scored> scored) {
    return scored.stream().limit(10).map(InfluenceIndex.Scored::recordId).toList();
  }
}
