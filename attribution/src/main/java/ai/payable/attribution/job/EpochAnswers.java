package ai.payable.attribution.job;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * An epoch's answers, read once: what the money needs (fee, model, retrieved records) comes to the
 * driver; prompts and outputs stay in Spark for the executors that compute evidence.
 *
 * <p>Each answer is given a gradient batch: a model's answers, ordered by length and id, cut into
 * runs of {@link #BATCH}. An answer's query gradient is taken in one backward pass with its batch
 * mates, and a pass's padding and kernels leave traces in the last bits of every row; fixing the
 * batches from the epoch's data alone makes the gradients the same whatever the partitioning, and
 * lets a researcher explaining one answer recompute exactly its batch.
 */
final class EpochAnswers {

  /**
   * The money side of one answer.
   *
   * @param modelKey the adapter that answered, or the model when no adapter did
   * @param retrieved retrieved record id → retrieval score, in the log's order
   */
  record Answer(String inferenceId, String modelKey, BigInteger fee, Map<String, Double> retrieved) {}

  /** Answers per gradient batch. */
  static final int BATCH = 8;

  private final Dataset<Row> rows;
  private final List<Answer> answers;

  private EpochAnswers(Dataset<Row> rows, List<Answer> answers) {
    this.rows = rows;
    this.answers = answers;
  }

  /** The answers of {@code epoch}. */
  static EpochAnswers read(Lakehouse lakehouse, LocalDate epoch) {
    lakehouse.ensure(Tables.INFERENCES);
    WindowSpec byLength = Window.partitionBy("model_key").orderBy(length(col("prompt")).plus(length(col("output"))), col("inference_id"));
    Dataset<Row> rows = lakehouse.read(Tables.INFERENCES).where(col("epoch").equalTo(lit(Date.valueOf(epoch))))
        .withColumn("model_key", coalesce(col("adapter_id"), col("model_id")))
        .withColumn("batch", floor(row_number().over(byLength).minus(1).divide(BATCH)).cast("long"));
    List<Answer> answers = new ArrayList<>();
    for (Row r : rows.select("inference_id", "model_key", "fee_wei", "retrieved").orderBy("inference_id").collectAsList()) {
      Map<String, Double> retrieved = new LinkedHashMap<>();
      for (Row item : r.<Row>getList(3)) {
        if (!item.isNullAt(0)) {
          retrieved.merge(item.getString(0), item.isNullAt(1) ? 1.0 : item.getDouble(1), Double::sum);
        }
      }
      answers.add(new Answer(r.getString(0), r.getString(1), r.<BigDecimal>getAs(2).toBigIntegerExact(), retrieved));
    }
    return new EpochAnswers(rows, List.copyOf(answers));
  }

  /** Only {@code inferenceId}: its money, and the texts of its gradient batch. */
  EpochAnswers only(String inferenceId) {
    List<Answer> one = answers.stream().filter(a -> a.inferenceId().equals(inferenceId)).toList();
    if (one.isEmpty()) {
      return new EpochAnswers(rows.limit(0), one);
    }
    Row batch = rows.where(col("inference_id").equalTo(lit(inferenceId))).select("batch").head();
    return new EpochAnswers(rows.where(col("model_key").equalTo(lit(one.get(0).modelKey())).and(col("batch").equalTo(lit(batch.getLong(0))))), one);
  }

  /** In {@code inference_id} order. */
  List<Answer> answers() {
    return answers;
  }

  /** (inference_id, model_key, prompt, output, batch) of the answers whose model is in {@code modelKeys}, for {@link AnswerEvidence}. */
  Dataset<Row> texts(java.util.Collection<String> modelKeys) {
    return rows.where(col("model_key").isin(modelKeys.toArray())).select("inference_id", "model_key", "prompt", "output", "batch");
  }
}
