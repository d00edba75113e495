package ai.payable.attribution.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.djl.ndarray.NDManager;
import ai.payable.core.catalog.AcceptedRecord;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.RecordLineage;
import ai.payable.core.catalog.Tables;
import ai.payable.core.catalog.TrainingSplit;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.features.GradientFeatures;
import ai.payable.training.registry.LoadedModel;
import ai.payable.training.registry.ModelRegistry;
import ai.payable.training.spec.TrainingSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The training-data audit of a registered adapter: every record it trained on, read back at the
 * pinned {@code records} version and laid out as training laid it out, gets a projected gradient
 * from every adapted module of every layer, its DataInf {@link SelfInfluence} and a robust z-score
 * ({@link OutlierRule}); the rows replace the adapter's rows in {@code training_audit}.
 *
 * <p>The audit takes its own features rather than attribution's {@code gradient_features}: those
 * come from the top layers, which find a fact's source best, while a corrupted record stands out in
 * every layer (on SmolLM2, self-influence AUC 1.000 with every layer at 16 dimensions against 0.922
 * with attribution's top 8 at 64; benchmarks/RESULTS.md). It runs after registration, as its own
 * stage, so any registered adapter can be audited again, with another threshold, without training.
 */
public final class TrainingAudit {

  /**
   * How records are audited.
   *
   * @param projectionDim dimensions per module of the audit's gradient projection
   * @param seed the projection's seed
   * @param damping DataInf's λ as a multiple of each module's mean squared gradient norm
   */
  public record Settings(int projectionDim, long seed, double damping, OutlierRule rule) {

    /** 16 dimensions per module of every layer, damping 0.1, z ≥ 3.5. */
    public static Settings defaults() {
      return new Settings(16, 23, 0.1, OutlierRule.standard());
    }

    public Settings {
      if (projectionDim < 1) {
        throw new IllegalArgumentException("audit projection must have at least 1 dimension per module; got " + projectionDim);
      }
      if (!(damping > 0)) {
        throw new IllegalArgumentException("audit damping must be positive, e.g. 0.1; got " + damping);
      }
    }
  }

  /**
   * What an audit found.
   *
   * @param records every audited record, highest self-influence first
   */
  public record Summary(ModelRow model, int modules, Settings settings, List<AuditedRecord> records) {

    /** The records flagged for review, highest first. */
    public List<AuditedRecord> flagged() {
      return records.stream().filter(AuditedRecord::flagged).toList();
    }
  }

  private final Lakehouse lakehouse;
  private final Settings settings;
  private final Path cache;
  private final Progress progress;

  /** @param cache where remote model folders are copied */
  public TrainingAudit(Lakehouse lakehouse, Settings settings, Path cache, Progress progress) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.cache = cache;
    this.progress = progress;
  }

  /** Audits the adapter {@code model} (an id, or a name for its newest model) and writes its rows. */
  public Summary run(String model) throws IOException {
    ModelRegistry registry = new ModelRegistry(lakehouse);
    ModelRow adapter = registry.require(model);
    if (adapter.kind() != ModelKind.ADAPTER) {
      throw new IllegalArgumentException("model " + adapter.modelId() + " is a " + adapter.kind().value()
          + "; the training audit reads an adapter's gradients, so name an adapter (models of kind adapter)");
    }
    ModelRow base = registry.require(adapter.parentId().orElseThrow());
    progress.step("reading the training records of " + adapter.modelId() + " (records version " + adapter.recordsVersion() + ")");
    List<Row> rows = trainingRecords(adapter);
    if (rows.isEmpty()) {
      throw new IllegalStateException("model " + adapter.modelId() + " has no training records in " + lakehouse.path(Tables.TRAINING_EXAMPLES)
          + "; it was registered without lineage and cannot be audited");
    }
    TrainingSpec spec = TrainingSpec.parse(adapter.spec(), adapter.name() + ".yaml");
    Configuration hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    List<float[]> features = new ArrayList<>();
    int modules;
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        LoadedModel loaded = LoadedModel.open(base.artifactUri(), adapter.artifactUri(), cache, hadoop, manager)) {
      int maxLength = Math.min(spec.maxLength(), loaded.model().config().maxPositions());
      List<TokenSequence> sequences = new ArrayList<>();
      for (Row r : rows) {
        AcceptedRecord e = AcceptedRecord.fromRow(r);
        TokenSequence s = loaded.format().record(e).truncated(maxLength);
        if (s == null) {
          throw new IllegalStateException("record " + e.recordId() + " trained " + adapter.modelId() + " but leaves no token to learn within max_length "
              + maxLength + "; the model's spec or records changed since it was registered");
        }
        sequences.add(s);
      }
      List<String> all = loaded.model().adaptedModulesOfTopLayers(Integer.MAX_VALUE);
      modules = all.size();
      progress.step(String.format(Locale.ROOT, "gradients of %d records over %d modules × %d dimensions", rows.size(), modules, settings.projectionDim()));
      try (GradientFeatures g = new GradientFeatures(loaded.model(), settings.projectionDim(), settings.seed(), spec.training().batchSize(), all)) {
        g.of(sequences).forEach(f -> features.add(f.features()));
      }
    }
    progress.step("self-influence and outliers");
    double[] self = SelfInfluence.of(features, modules, settings.projectionDim(), settings.damping());
    double[] z = settings.rule().scores(self);
    Integer[] order = new Integer[self.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Highest first; ties by record id, so the ranks are the same on any run.
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -self[i]).thenComparing(i -> AcceptedRecord.fromRow(rows.get(i)).recordId()));
    Timestamp now = Timestamp.from(Instant.now());
    List<AuditedRecord> audited = new ArrayList<>();
    for (int rank = 0; rank < order.length; rank++) {
      int i = order[rank];
      AcceptedRecord r = AcceptedRecord.fromRow(rows.get(i));
      RecordLineage source = RecordLineage.fromRow(rows.get(i));
      audited.add(new AuditedRecord(adapter.modelId(), r.recordId(), r.contributor(), r.datanet(), self[i], z[i], rank + 1,
          settings.rule().flags(z[i]), settings.projectionDim(), modules, settings.rule().threshold(), now, source.sourceFile(),
          source.lineNo(), excerpt(r)));
    }
    progress.step("writing " + audited.size() + " rows to training_audit");
    lakehouse.replace(Tables.TRAINING_AUDIT, "model_id", adapter.modelId(), audited.stream().map(AuditedRecord::toRow).toList());
    progress.step("");
    return new Summary(adapter, modules, settings, audited);
  }

  /** The adapter's training records with their lineage, as of the records version it read, in record-id order. */
  private List<Row> trainingRecords(ModelRow adapter) {
    lakehouse.ensure(Tables.TRAINING_EXAMPLES);
    Dataset<Row> examples = lakehouse.read(Tables.TRAINING_EXAMPLES)
        .where(col("model_id").equalTo(lit(adapter.modelId())).and(col("split").equalTo(lit(TrainingSplit.TRAIN.value())))).select("record_id");
    return lakehouse.snapshot(Tables.RECORDS, adapter.recordsVersion()).join(examples, "record_id")
        .select(Stream.concat(Arrays.stream(AcceptedRecord.COLUMNS), Arrays.stream(RecordLineage.COLUMNS)).toArray(Column[]::new)).orderBy("record_id")
        .collectAsList();
  }

  /** The first words of a record, as a curator scanning a list would want them. */
  private static String excerpt(AcceptedRecord r) {
    String text = r.joinedText().replaceAll("\\s+", " ").strip();
    return text.length() <= 100 ? text : text.substring(0, 97) + "...";
  }
}
