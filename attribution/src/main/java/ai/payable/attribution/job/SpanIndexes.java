package ai.payable.attribution.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.payable.attribution.span.SpanIndex;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.Tables;
import ai.payable.core.catalog.TrainingSplit;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.training.job.TrainingData;
import ai.payable.training.registry.ModelRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/** Each model's span index ({@code span-index.bin} in the model's folder), built once per model from its training records. */
final class SpanIndexes {

  private final Lakehouse lakehouse;
  private final Configuration hadoop;
  private final Progress progress;

  SpanIndexes(Lakehouse lakehouse, Progress progress) {
    this.lakehouse = lakehouse;
    this.hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    this.progress = progress;
  }

  /** Builds the model's span index unless its folder has one. */
  void ensure(ModelRecord model) throws IOException {
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
    SpanIndex index = build(model);
    if (local) {
      index.write(Path.of(folder).resolve(AnswerEvidence.SPAN_INDEX));
    } else {
      Path staged = Files.createTempDirectory("span-index");
      index.write(staged.resolve(AnswerEvidence.SPAN_INDEX));
      String path = folder.toString().endsWith("/") ? folder.toString().substring(0, folder.toString().length() - 1) : folder.toString();
      ArtifactStore.at(path.substring(0, path.lastIndexOf('/')), hadoop).publishStaged(path.substring(path.lastIndexOf('/') + 1), staged);
    }
  }

  /** The model's training records (split = train), as training laid them out, in record id order. */
  private SpanIndex build(ModelRecord model) {
    List<Row> rows = lakehouse.snapshot(Tables.RECORDS, model.recordsVersion())
        .join(lakehouse.read(Tables.TRAINING_EXAMPLES)
            .where(col("model_id").equalTo(lit(model.modelId())).and(col("split").equalTo(lit(TrainingSplit.TRAIN.value())))).select("record_id"),
            "record_id")
        .select("record_id", "kind", "prompt", "completion", "text").orderBy("record_id").collectAsList();
    List<String> ids = new ArrayList<>();
    List<int[]> tokens = new ArrayList<>();
    for (Row r : rows) {
      ids.add(r.getString(0));
      tokens.add(SpanIndex.bytes(TrainingData.text(r.getString(1), r.getString(2), r.getString(3), r.getString(4))));
    }
    return SpanIndex.build(ids, tokens);
  }
}
