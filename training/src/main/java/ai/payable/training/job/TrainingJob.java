package ai.payable.training.job;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.config.Progress;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.training.engine.Engines;
import ai.payable.training.export.ModelFiles;
import ai.payable.training.features.GradientFeatures;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.registry.ModelRecord;
import ai.payable.training.registry.ModelRegistry;
import ai.payable.training.spec.TrainingSpec;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.train.Evaluation;
import ai.payable.training.train.TrainingLoop;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Runs a {@link TrainingSpec}: reads its records at a pinned version, trains (a teacher or student
 * from scratch, a student distilled from its teacher, or an adapter on its base), evaluates on the
 * held-out records, writes the model's files, computes the adapter's per-record gradient features
 * and registers the model with its lineage. The model id is a hash of the spec, the records
 * version and the parent, so re-running the same job on the same data replaces the same model.
 */
public final class TrainingJob {

  /** What a run produced. */
  public record Result(ModelRecord model, TrainingLoop.Report report, int trainRecords, int heldoutRecords) {}

  private final Lakehouse lakehouse;
  private final ModelRegistry registry;
  private final ArtifactStore store;
  private final Configuration hadoop;
  private final Path cache;
  private final Progress progress;
  private final TrainingLoop.Listener listener;

  /**
   * @param models where model folders are published (a directory or URI)
   * @param cache local directory for copies of remote models
   */
  public TrainingJob(Lakehouse lakehouse, String models, Path cache, Progress progress, TrainingLoop.Listener listener) {
    this.lakehouse = lakehouse;
    this.registry = new ModelRegistry(lakehouse);
    this.hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    this.store = ArtifactStore.at(models, hadoop);
    this.cache = cache;
    this.progress = progress;
    this.listener = listener;
  }

  /** Trains, evaluates, exports and registers {@code spec}'s model. */
  public Result run(TrainingSpec spec) throws IOException {
    progress.step("reading records for " + spec.name());
    TrainingData data = TrainingData.read(lakehouse, spec);
    Optional<ModelRecord> parent = spec.base().map(registry::require);
    Optional<ModelRecord> teacherRecord = Optional.ofNullable(spec.distill()).map(d -> registry.require(d.teacher()));
    String modelId = spec.name() + "-" + Keccak.hex((spec.text() + "|" + data.recordsVersion() + "|" + parent.map(ModelRecord::modelId).orElse("")
        + "|" + teacherRecord.map(ModelRecord::modelId).orElse("")).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(2, 10);

    try (NDManager manager = NDManager.newBaseManager(Engines.device(spec.device()))) {
      progress.step("building " + spec.kind().name().toLowerCase(Locale.ROOT) + " " + modelId);
      Engines.seed(spec.training().seed());
      LlamaModel model;
      if (spec.kind() == TrainingSpec.Kind.ADAPTER) {
        Path baseDir = ArtifactStore.materialize(parent.orElseThrow().artifactUri(), cache, hadoop);
        model = new LlamaModel(ModelFiles.readConfig(baseDir), spec.lora());
        model.initialize(manager);
        ModelFiles.loadBase(model, baseDir);
      } else {
        model = new LlamaModel(spec.model(), null);
        model.initialize(manager);
      }
      LlamaModel teacher = null;
      if (teacherRecord.isPresent()) {
        Path teacherDir = ArtifactStore.materialize(teacherRecord.get().artifactUri(), cache, hadoop);
        teacher = new LlamaModel(ModelFiles.readConfig(teacherDir), null);
        teacher.initialize(manager);
        ModelFiles.loadBase(teacher, teacherDir);
        teacher.freezeParameters(true);
      }

      ByteTokenizer tokenizer = new ByteTokenizer();
      int context = model.config().maxPositions();
      List<int[]> train = data.train().stream().map(e -> tokenizer.encode(e.text(), true, context)).toList();
      List<int[]> heldout = data.heldout().stream().map(e -> tokenizer.encode(e.text(), true, context)).toList();
      List<Parameter> trainable = new ArrayList<>();
      if (spec.kind() == TrainingSpec.Kind.ADAPTER) {
        for (LoraLinear p : model.adaptedProjections()) {
          trainable.add(p.loraA());
          trainable.add(p.loraB());
        }
      } else {
        trainable.addAll(model.getParameters().values());
      }

      progress.step("training on " + train.size() + " records (" + heldout.size() + " held out)");
      TrainingLoop.Objective objective = TrainingLoop.crossEntropy();
      if (teacher != null) {
        TrainingSpec.Distillation d = spec.distill();
        objective = TrainingLoop.distillation(teacher, d.alpha(), d.temperature(), d.divergence());
      }
      TrainingLoop.Report report = new TrainingLoop(spec.training()).run(model, trainable, train, objective, listener);

      progress.step("evaluating");
      Evaluation.Result eval = Evaluation.of(model, teacher, heldout.isEmpty() ? train : heldout, spec.training().batchSize(), manager);
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("train_loss", (double) report.finalLoss());
      metrics.put("heldout_loss", eval.loss());
      metrics.put("heldout_perplexity", eval.perplexity());
      if (teacher != null) {
        metrics.put("heldout_kl_to_teacher", eval.klToTeacher());
      }
      metrics.put("train_tokens_per_second", report.tokensPerSecond());
      metrics.put("train_seconds", report.seconds());
      metrics.put("steps", (double) report.losses().size());

      progress.step("writing model files");
      Path dir = store.isLocal() ? store.localFolder(modelId) : Files.createTempDirectory("model-" + modelId);
      if (spec.kind() == TrainingSpec.Kind.ADAPTER) {
        ModelFiles.writeAdapter(model, parent.orElseThrow().modelId(), dir);
      } else {
        ModelFiles.writeBase(model, dir);
      }
      Map<String, Object> card = new LinkedHashMap<>();
      card.put("model_id", modelId);
      card.put("kind", spec.kind().name().toLowerCase(Locale.ROOT));
      card.put("records_version", data.recordsVersion());
      card.put("metrics", metrics);
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("training.json").toFile(), card);
      Files.writeString(dir.resolve("spec.yaml"), spec.text());
      StringBuilder log = new StringBuilder("step,loss\n");
      for (int i = 0; i < report.losses().size(); i++) {
        log.append(i + 1).append(',').append(report.losses().get(i)).append('\n');
      }
      Files.writeString(dir.resolve("training-log.csv"), log);
      String uri = store.isLocal() ? dir.toUri().toString() : store.publishStaged(modelId, dir).toString();

      List<Row> features = new ArrayList<>();
      if (spec.kind() == TrainingSpec.Kind.ADAPTER) {
        progress.step("gradient features of " + train.size() + " records");
        try (GradientFeatures g = new GradientFeatures(model, spec.features().projectionDim(), spec.features().seed())) {
          Object modules = scala.jdk.javaapi.CollectionConverters.asScala(g.moduleNames()).toSeq();
          for (int i = 0; i < train.size(); i++) {
            GradientFeatures.Feature f = g.of(train.get(i), 0);
            features.add(RowFactory.create(modelId, data.train().get(i).recordId(), g.dim(), g.seed(), modules, boxed(f.features()),
                boxed(f.moduleSqNorms()), f.loss()));
          }
        }
      }

      progress.step("registering " + modelId);
      List<Row> examples = new ArrayList<>();
      data.train().forEach(e -> examples.add(RowFactory.create(modelId, e.recordId(), e.contributor(), e.datanet(), "train")));
      data.heldout().forEach(e -> examples.add(RowFactory.create(modelId, e.recordId(), e.contributor(), e.datanet(), "heldout")));
      String config = model.config().toHuggingFace(ByteTokenizer.BOS, ByteTokenizer.EOS).toString();
      ModelRecord record = new ModelRecord(modelId, spec.kind().name().toLowerCase(Locale.ROOT), spec.name(), parent.map(ModelRecord::modelId)
          .or(() -> teacherRecord.map(ModelRecord::modelId)), spec.owner(), spec.datanets(), spec.text(), data.recordsVersion(), ByteTokenizer.NAME,
          config, metrics, uri, Timestamp.from(Instant.now()));
      registry.register(record, examples, features);
      progress.step("");
      return new Result(record, report, data.train().size(), data.heldout().size());
    }
  }

  private static Object boxed(float[] values) {
    Float[] out = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(out)).toSeq();
  }

  private static Object boxed(double[] values) {
    Double[] out = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(out)).toSeq();
  }
}
