package ai.payable.training.job;

import ai.payable.core.catalog.GradientFeatureRow;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.TrainingExampleRow;
import ai.payable.core.catalog.TrainingSplit;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.config.Progress;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.training.registry.ModelRegistry;
import ai.payable.training.spec.TrainingSpec;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.train.TrainingLoop;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;

/**
 * Runs training specs: reads each spec's records at a pinned version, trains (a teacher or student
 * from scratch, a student derived from and distilled from its teacher, or an adapter on its base),
 * writes the model's files and registers the model with its lineage. The model id is a hash of the
 * spec, the records version and the parents, so re-running the same job on the same data replaces
 * the same model.
 *
 * <p>Several adapter specs at once train in parallel, one Spark task per adapter: each task gets
 * the GPU Spark assigned to it (with {@code spark.task.resource.gpu.amount=1}) or the CPU, trains
 * and writes its files, and the driver registers what the tasks return. Other specs run one after
 * another on the driver, in the order given, so a student and then adapters on it can be trained
 * in one call.
 */
public final class TrainingJob {

  /** What a run produced. */
  public record Result(ModelRow model, List<Float> losses, int trainRecords, int heldoutRecords) {
    /** The last step's loss. */
    public float finalLoss() {
      return losses.get(losses.size() - 1);
    }

    /** What makes this model doubtful, each a sentence saying what to do (empty when nothing does). */
    public List<String> warnings() {
      return TrainingWarnings.of(trainRecords, heldoutRecords, losses);
    }
  }

  private final Lakehouse lakehouse;
  private final ModelRegistry registry;
  private final Configuration hadoop;
  private final String models;
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
    this.models = models;
    this.cache = cache;
    this.progress = progress;
    this.listener = listener;
  }

  /** Trains, evaluates, exports and registers {@code spec}'s model on the driver. */
  public Result run(TrainingSpec spec) throws IOException {
    Planned p = plan(spec);
    return register(p, new ModelTrainer(progress, listener).train(p.task()));
  }

  /**
   * Runs {@code specs}: adapters in parallel Spark tasks when every spec is an adapter (and there
   * are several), else one after another.
   */
  public List<Result> runAll(List<TrainingSpec> specs) throws IOException {
    Set<String> names = new HashSet<>();
    for (TrainingSpec s : specs) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("two specs are named " + s.name() + "; each model needs its own name");
      }
    }
    boolean parallel = specs.size() > 1 && specs.stream().allMatch(s -> s.kind() == TrainingSpec.Kind.ADAPTER);
    List<Result> results = new ArrayList<>();
    if (!parallel) {
      for (TrainingSpec s : specs) {
        results.add(run(s));
      }
      return results;
    }
    List<Planned> planned = new ArrayList<>();
    for (TrainingSpec s : specs) {
      planned.add(plan(s));
    }
    progress.step("training " + planned.size() + " adapters in parallel, one Spark task each");
    List<TrainingTask> tasks = planned.stream().map(Planned::task).toList();
    List<TrainedModel> trained = JavaSparkContext.fromSparkContext(lakehouse.spark().sparkContext()).parallelize(tasks, tasks.size())
        .map(task -> new ModelTrainer(Progress.silent(), TrainingProgress.toStderr(task.modelId())).train(task)).collect();
    Map<String, TrainedModel> byId = new HashMap<>();
    trained.forEach(t -> byId.put(t.modelId(), t));
    for (Planned p : planned) {
      results.add(register(p, byId.get(p.task().modelId())));
    }
    return results;
  }

  /** A spec resolved on the driver: its records and parents read, ready to train anywhere. */
  private record Planned(TrainingSpec spec, TrainingData data, Optional<ModelRow> parent, Optional<ModelRow> teacher, TrainingTask task) {}

  private Planned plan(TrainingSpec spec) throws IOException {
    progress.step("reading records for " + spec.name());
    TrainingData data = TrainingData.read(lakehouse, spec);
    Optional<ModelRow> parent = spec.base().map(registry::require);
    Optional<ModelRow> teacher = Optional.ofNullable(spec.distill()).map(d -> registry.require(d.teacher()));
    Optional<ModelRow> teacherAdapter = Optional.ofNullable(spec.distill()).flatMap(TrainingSpec.Distillation::teacherAdapter).map(registry::require);
    parent.ifPresent(p -> requireBase(p, "base", spec));
    teacher.ifPresent(t -> requireBase(t, "distill.teacher", spec));
    teacherAdapter.ifPresent(a -> {
      if (a.kind() != ModelKind.ADAPTER || !a.parentId().orElse("").equals(teacher.orElseThrow().modelId())) {
        throw new IllegalArgumentException(spec.name() + ": distill.teacher_adapter " + a.modelId() + " is not an adapter of the teacher " + teacher.get().modelId());
      }
    });
    String modelId = spec.name() + "-" + Keccak.hex((spec.text() + "|" + data.recordsVersion() + "|" + parent.map(ModelRow::modelId).orElse("")
        + "|" + teacher.map(ModelRow::modelId).orElse("") + "|" + teacherAdapter.map(ModelRow::modelId).orElse(""))
        .getBytes(StandardCharsets.UTF_8)).substring(2, 10);
    Map<String, String> settings = new HashMap<>();
    hadoop.forEach(e -> {
      if (e.getKey().startsWith("fs.")) {
        settings.put(e.getKey(), e.getValue());
      }
    });
    TrainingTask task = new TrainingTask(modelId, spec.text(), spec.name() + ".yaml", data.train(), data.heldout(),
        parent.map(ModelRow::artifactUri).orElse(null), parent.map(p -> location(p.artifactUri())).orElse(null),
        teacher.map(ModelRow::artifactUri).orElse(null), teacherAdapter.map(ModelRow::artifactUri).orElse(null),
        PayableConfig.toUri(models).toString(), settings, cache.toAbsolutePath().toString());
    return new Planned(spec, data, parent, teacher, task);
  }

  private static void requireBase(ModelRow m, String field, TrainingSpec spec) {
    if (m.kind() == ModelKind.ADAPTER) {
      throw new IllegalArgumentException(spec.name() + ": " + field + " " + m.modelId() + " is an adapter; name a base model (an imported base, a teacher or a student)");
    }
  }

  /** A folder as a person or transformers names it: a local path, else the URI. */
  private static String location(String artifactUri) {
    URI uri = PayableConfig.toUri(artifactUri);
    return "file".equals(uri.getScheme()) ? Path.of(uri).toString() : uri.toString();
  }

  private Result register(Planned p, TrainedModel trained) {
    progress.step("registering " + trained.modelId());
    Set<String> skipped = new HashSet<>(trained.skipped());
    List<Row> examples = new ArrayList<>();
    p.data().train().stream().filter(e -> !skipped.contains(e.recordId()))
        .forEach(e -> examples.add(new TrainingExampleRow(trained.modelId(), e.recordId(), e.contributor(), e.datanet(), TrainingSplit.TRAIN).toRow()));
    p.data().heldout()
        .forEach(e -> examples.add(new TrainingExampleRow(trained.modelId(), e.recordId(), e.contributor(), e.datanet(), TrainingSplit.HELDOUT).toRow()));
    List<Row> features = new ArrayList<>();
    if (trained.features() != null) {
      TrainedModel.Features f = trained.features();
      for (TrainedModel.Row r : f.rows()) {
        features.add(new GradientFeatureRow(trained.modelId(), r.recordId(), f.dim(), f.seed(), f.modules(), r.features(), r.moduleSqNorms(), r.loss()).toRow());
      }
    }
    TrainingSpec spec = p.spec();
    // An adapter reads with its base's tokenizer, a derived student with its teacher's; from scratch means bytes.
    String tokenizer = p.parent().or(() -> spec.keepLayers().derived() ? p.teacher() : Optional.empty()).map(ModelRow::tokenizer)
        .orElse(ByteTokenizer.NAME);
    ModelRow record = new ModelRow(trained.modelId(), ModelKind.valueOf(spec.kind().name()), spec.name(),
        p.parent().map(ModelRow::modelId).or(() -> p.teacher().map(ModelRow::modelId)), spec.owner(), spec.datanets(), spec.text(),
        p.data().recordsVersion(), tokenizer, trained.config(), trained.metrics(), trained.artifactUri(), Timestamp.from(Instant.now()));
    registry.register(record, examples, features);
    progress.step("");
    return new Result(record, trained.losses(), p.data().train().size() - skipped.size(), p.data().heldout().size());
  }
}
