package ai.payable.attribution.job;

import ai.djl.ndarray.NDManager;
import ai.payable.training.engine.Engines;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.features.GradientFeatures;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.registry.LoadedModel;
import ai.payable.training.span.SpanIndex;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The per-answer, model-bound half of attribution, run by Spark over partitions of answers: each
 * partition loads a model (base, plus adapter) and its span index once, then computes every
 * answer's query gradient (projected exactly as the training features were) and the span credit of
 * its output. Query gradients are taken a batch at a time ({@link GradientFeatures}); batches take
 * turns within an executor JVM (DJL allows one gradient collector per JVM).
 */
final class AnswerEvidence implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  /** Output: the answer's query gradient (null without gradient features) and span credits. */
  static final StructType OUTPUT = new StructType().add("inference_id", DataTypes.StringType, false).add("model_key", DataTypes.StringType, false)
      .add("query", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("span", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false);

  /**
   * What a partition needs to know of one model.
   *
   * @param adapterUri the adapter's folder, or null for a base model
   * @param modules the projected modules of its gradient features (empty: no gradient evidence)
   */
  record Plan(String baseUri, String adapterUri, int dim, long seed, List<String> modules) implements Serializable {}

  private final Map<String, Plan> plans;
  private final Map<String, String> hadoopSettings;
  private final String cache;
  private final int minSpanTokens;

  AnswerEvidence(Map<String, Plan> plans, Map<String, String> hadoopSettings, String cache, int minSpanTokens) {
    this.plans = new HashMap<>(plans);
    this.hadoopSettings = new HashMap<>(hadoopSettings);
    this.cache = cache;
    this.minSpanTokens = minSpanTokens;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> answers) throws Exception {
    Configuration hadoop = new Configuration();
    hadoopSettings.forEach(hadoop::set);
    // A partition holds whole gradient batches of one model or a few (see EpochAnswers): each
    // model is loaded once, and each batch is one backward pass over its answers in id order.
    Map<String, Map<Long, List<Row>>> byModel = new TreeMap<>();
    answers.forEachRemaining(a -> byModel.computeIfAbsent(a.getString(1), k -> new TreeMap<>()).computeIfAbsent(a.getLong(4), b -> new ArrayList<>()).add(a));
    List<Row> out = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      for (Map.Entry<String, Map<Long, List<Row>>> group : byModel.entrySet()) {
        NDManager scope = manager.newSubManager();
        Loaded model = load(plans.get(group.getKey()), hadoop, scope);
        try {
          for (List<Row> batch : group.getValue().values()) {
            batch.sort(java.util.Comparator.comparing((Row r) -> r.getString(0)));
            float[][] queries = model.features() == null ? new float[batch.size()][] : queries(model, batch);
            for (int i = 0; i < batch.size(); i++) {
              Row a = batch.get(i);
              // Spans are matched on the text's UTF-8 bytes, whatever the model's tokenizer.
              Map<String, Double> span = model.spans().credit(SpanIndex.bytes(a.getString(3)), minSpanTokens);
              out.add(RowFactory.create(a.getString(0), a.getString(1), queries[i] == null ? null : boxed(queries[i]),
                  scala.jdk.javaapi.CollectionConverters.asScala(span)));
            }
          }
        } finally {
          if (model.features() != null) {
            model.features().close();
          }
          model.loaded().close();
          scope.close();
        }
      }
    }
    return out.iterator();
  }

  /** The query gradients of one batch of answers (null where a prompt fills the context and leaves nothing to take the gradient of). */
  private static float[][] queries(Loaded model, List<Row> batch) {
    float[][] queries = new float[batch.size()][];
    List<Integer> with = new ArrayList<>();
    List<TokenSequence> sequences = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      // The answer laid out as the model read its question and wrote it.
      TokenSequence t = model.format().answer(batch.get(i).getString(2), batch.get(i).getString(3)).truncated(model.model().config().maxPositions());
      if (t != null) {
        with.add(i);
        sequences.add(t);
      }
    }
    List<GradientFeatures.Feature> features = model.features().of(sequences);
    for (int j = 0; j < with.size(); j++) {
      queries[with.get(j)] = features.get(j).features();
    }
    return queries;
  }

  /** A loaded model and, for an adapter with gradient features, the projection its queries use. */
  private record Loaded(LoadedModel loaded, GradientFeatures features) {
    LlamaModel model() {
      return loaded.model();
    }

    ChatFormat format() {
      return loaded.format();
    }

    SpanIndex spans() {
      return loaded.spans();
    }
  }

  private Loaded load(Plan plan, Configuration hadoop, NDManager manager) {
    try {
      LoadedModel loaded = LoadedModel.open(plan.baseUri(), plan.adapterUri(), Path.of(cache), hadoop, manager);
      GradientFeatures features = null;
      if (plan.adapterUri() != null && !plan.modules().isEmpty()) {
        // The query gradients use the modules the training records' features were taken of.
        try {
          features = new GradientFeatures(loaded.model(), plan.dim(), plan.seed(), EpochAnswers.BATCH, plan.modules());
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("gradient features were projected for modules " + plan.modules() + " but the adapter at " + plan.adapterUri()
              + " does not match: " + e.getMessage() + "; retrain the adapter", e);
        }
      }
      return new Loaded(loaded, features);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(out)).toIndexedSeq();
  }
}
