package ai.payable.training.job;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.AcceptedRecord;
import ai.payable.core.config.Progress;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.engine.Engines;
import ai.payable.training.features.GradientFeatures;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.span.SpanIndex;
import ai.payable.training.spec.TrainingSpec;
import ai.payable.training.train.Evaluation;
import ai.payable.training.train.TrainingLoop;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Trains the model of one {@link TrainingTask}, wherever it runs (the driver, or a Spark task on
 * an executor with its own GPU): builds it (from scratch, from a base plus a fresh adapter, or
 * from a subset of its teacher's layers), lays the records out through the model's chat format,
 * trains, evaluates on the held-out records, writes the files to the model store and, for
 * adapters, computes every training record's gradient features. Registering is the driver's job.
 */
final class ModelTrainer {

  private final Progress progress;
  private final TrainingLoop.Listener listener;

  public ModelTrainer(Progress progress, TrainingLoop.Listener listener) {
    this.progress = progress;
    this.listener = listener;
  }

  /** Trains, evaluates and writes the model of {@code task}. */
  public TrainedModel train(TrainingTask task) throws IOException {
    TrainingSpec spec = TrainingSpec.parse(task.specText(), task.specSource());
    Configuration hadoop = new Configuration();
    task.hadoopSettings().forEach(hadoop::set);
    Path cache = Path.of(task.cache());
    ArtifactStore store = ArtifactStore.at(task.models(), hadoop);
    try (NDManager manager = NDManager.newBaseManager(Engines.device(spec.device()))) {
      progress.step("building " + spec.kind().name().toLowerCase(Locale.ROOT) + " " + task.modelId());
      Engines.seed(spec.training().seed());
      Path tokenizerFrom = null;
      LlamaModel model;
      ChatFormat format;
      if (spec.kind() == TrainingSpec.Kind.ADAPTER) {
        Path baseDir = ArtifactStore.materialize(task.baseUri(), cache, hadoop);
        Checkpoint base = Checkpoint.open(baseDir);
        base.validate();
        model = new LlamaModel(base.config(), spec.lora());
        model.initialize(manager, DataType.FLOAT32, base);
        format = ChatFormat.open(baseDir, base.config().vocabSize());
      } else if (spec.keepLayers().derived()) {
        tokenizerFrom = ArtifactStore.materialize(task.teacherUri(), cache, hadoop);
        Checkpoint teacher = Checkpoint.open(tokenizerFrom);
        int[] keep = spec.keepLayers().resolve(teacher.config().layers(), task.specSource());
        progress.step("initialising from teacher layers " + java.util.Arrays.toString(keep));
        model = new LlamaModel(teacher.config().withLayers(keep.length), null);
        model.initialize(manager, DataType.FLOAT32, teacher.withLayers(keep));
        format = ChatFormat.open(tokenizerFrom, teacher.config().vocabSize());
      } else {
        model = new LlamaModel(spec.model(), null);
        model.initialize(manager);
        format = ChatFormat.bytes();
      }
      try (format) {
        LlamaModel teacher = null;
        if (task.teacherUri() != null) {
          Path teacherDir = ArtifactStore.materialize(task.teacherUri(), cache, hadoop);
          Path teacherAdapter = task.teacherAdapterUri() == null ? null : ArtifactStore.materialize(task.teacherAdapterUri(), cache, hadoop);
          teacher = ModelFiles.load(manager, teacherDir, teacherAdapter);
          if (teacher.config().vocabSize() != model.config().vocabSize()) {
            throw new IllegalArgumentException(task.specSource() + ": the teacher's vocabulary (" + teacher.config().vocabSize()
                + " tokens) is not the student's (" + model.config().vocabSize() + "); distillation needs one tokenizer");
          }
          teacher.freezeParameters(true);
        }
        int maxLength = Math.min(spec.maxLength(), model.config().maxPositions());
        Sequences train = sequences(task.train(), format, maxLength);
        Sequences heldout = sequences(task.heldout(), format, maxLength);
        if (train.kept().isEmpty()) {
          throw new IllegalStateException(task.specSource() + ": no training record fits in max_length " + maxLength + " tokens");
        }

        List<Parameter> trainable = new ArrayList<>();
        if (spec.kind() == TrainingSpec.Kind.ADAPTER) {
          for (LoraLinear p : model.adaptedProjections()) {
            trainable.add(p.loraA());
            trainable.add(p.loraB());
          }
        } else {
          trainable.addAll(model.getParameters().values());
        }
        int pad = format.specials().padId();
        progress.step("training on " + train.kept().size() + " records (" + heldout.kept().size() + " held out"
            + (train.skipped() > 0 ? ", " + train.skipped() + " too long for max_length " + maxLength : "") + ")");
        TrainingLoop.Objective objective = teacher == null ? TrainingLoop.crossEntropy()
            : TrainingLoop.distillation(teacher, spec.distill().alpha(), spec.distill().temperature(), spec.distill().divergence());
        TrainingLoop.Report report = new TrainingLoop(spec.training()).run(model, trainable, train.sequences(), pad, objective, listener);

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_loss", (double) report.finalLoss());
        // Without held-out records there is nothing to evaluate on: the figures are left out, not
        // filled with the training set's (which would read as a generalisation that was never measured).
        if (!heldout.kept().isEmpty()) {
          progress.step("evaluating on " + heldout.kept().size() + " held-out records");
          Evaluation.Result eval = Evaluation.of(model, teacher, heldout.sequences(), pad, spec.training().batchSize(), manager);
          metrics.put("heldout_loss", eval.loss());
          metrics.put("heldout_perplexity", eval.perplexity());
          if (teacher != null) {
            metrics.put("heldout_kl_to_teacher", eval.klToTeacher());
          }
        }
        metrics.put("train_tokens_per_second", report.tokensPerSecond());
        metrics.put("train_seconds", report.seconds());
        metrics.put("steps", (double) report.losses().size());

        progress.step("writing model files");
        Path dir = store.isLocal() ? store.localFolder(task.modelId()) : Files.createTempDirectory("model-" + task.modelId());
        String config;
        if (spec.kind() == TrainingSpec.Kind.ADAPTER) {
          ModelFiles.writeAdapter(model, task.baseLocation(), dir);
          config = Files.readString(ArtifactStore.materialize(task.baseUri(), cache, hadoop).resolve(ModelFiles.CONFIG));
        } else {
          ModelFiles.writeBase(model, dir, tokenizerFrom);
          config = Files.readString(dir.resolve(ModelFiles.CONFIG));
        }
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model_id", task.modelId());
        card.put("kind", spec.kind().name().toLowerCase(Locale.ROOT));
        card.put("metrics", metrics);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("training.json").toFile(), card);
        Files.writeString(dir.resolve("spec.yaml"), spec.text());
        writeLossLog(report.losses(), dir.resolve("training-log.csv"));

        progress.step("span index of " + train.kept().size() + " records");
        SpanIndex.write(dir.resolve(SpanIndex.FOLDER), train.kept().stream().map(AcceptedRecord::recordId).toList(),
            train.kept().stream().map(AcceptedRecord::joinedText).toList());

        TrainedModel.Features features = null;
        if (spec.kind() == TrainingSpec.Kind.ADAPTER) {
          progress.step("gradient features of " + train.kept().size() + " records");
          features = features(model, spec, train);
        }
        String uri = store.isLocal() ? dir.toUri().toString() : store.publishStaged(task.modelId(), dir).toString();
        progress.step("");
        return new TrainedModel(task.modelId(), uri, config, metrics, List.copyOf(report.losses()), train.skippedIds(), features);
      }
    }
  }

  private static TrainedModel.Features features(LlamaModel model, TrainingSpec spec, Sequences train) {
    // Batches as large as training's: what fitted one training step fits one features pass.
    int layers = spec.features().layers() == 0 ? Integer.MAX_VALUE : spec.features().layers();
    List<String> modules = model.adaptedModulesOfTopLayers(layers);
    try (GradientFeatures g = new GradientFeatures(model, spec.features().projectionDim(), spec.features().seed(), spec.training().batchSize(), modules)) {
      List<TrainedModel.Row> rows = new ArrayList<>();
      List<GradientFeatures.Feature> all = g.of(train.sequences());
      for (int i = 0; i < train.kept().size(); i++) {
        GradientFeatures.Feature f = all.get(i);
        rows.add(new TrainedModel.Row(train.kept().get(i).recordId(), f.features(), f.moduleSqNorms(), f.loss()));
      }
      return new TrainedModel.Features(g.dim(), g.seed(), g.moduleNames(), rows);
    }
  }

  /** Records laid out as sequences; those with no target left within {@code maxLength} are skipped (and counted). */
  /** The training loss per optimiser step, {@code step,loss}, for plotting. */
  private static void writeLossLog(List<Float> losses, Path file) throws IOException {
    CsvSchema schema = CsvSchema.builder().addColumn("step").addColumn("loss").build().withHeader();
    try (SequenceWriter rows = new CsvMapper().writer(schema).writeValues(file.toFile())) {
      for (int i = 0; i < losses.size(); i++) {
        rows.write(List.of(i + 1, losses.get(i)));
      }
    }
  }

  record Sequences(List<AcceptedRecord> kept, List<TokenSequence> sequences, List<String> skippedIds) {
    int skipped() {
      return skippedIds.size();
    }
  }

  static Sequences sequences(List<AcceptedRecord> examples, ChatFormat format, int maxLength) {
    List<AcceptedRecord> kept = new ArrayList<>();
    List<TokenSequence> sequences = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (AcceptedRecord e : examples) {
      TokenSequence s = format.record(e).truncated(maxLength);
      if (s == null) {
        skipped.add(e.recordId());
      } else {
        kept.add(e);
        sequences.add(s);
      }
    }
    return new Sequences(kept, sequences, skipped);
  }
}
