package ai.payable.attribution.job;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

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

/**
 * An epoch's answers, read once: what the money needs (fee, model, retrieved records) comes to the
 * driver; prompts and outputs stay in Spark for the executors that compute evidence.
 */
final class EpochAnswers {

  /**
   * The money side of one answer.
   *
   * @param modelKey the adapter that answered, or the model when no adapter did
   * @param retrieved retrieved record id → retrieval score, in the log's order
   */
  record Answer(String inferenceId, String modelKey, BigInteger fee, Map<String, Double> retrieved) {}

  private final Dataset<Row> rows;
  private final List<Answer> answers;

  private EpochAnswers(Dataset<Row> rows, List<Answer> answers) {
    this.rows = rows;
    this.answers = answers;
  }

  /** The answers of {@code epoch}, or only {@code onlyInferenceId} of them when not null. */
  static EpochAnswers read(Lakehouse lakehouse, LocalDate epoch, String onlyInferenceId) {
    lakehouse.ensure(Tables.INFERENCES);
    org.apache.spark.sql.Column where = col("epoch").equalTo(lit(Date.valueOf(epoch)));
    if (onlyInferenceId != null) {
      where = where.and(col("inference_id").equalTo(lit(onlyInferenceId)));
    }
    Dataset<Row> rows = lakehouse.read(Tables.INFERENCES).where(where).withColumn("model_key", coalesce(col("adapter_id"), col("model_id")));
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

  /** In {@code inference_id} order. */
  List<Answer> answers() {
    return answers;
  }

  /** (inference_id, model_key, prompt, output) of the answers whose model is in {@code modelKeys}, for {@link AnswerEvidence}. */
  Dataset<Row> texts(java.util.Collection<String> modelKeys) {
    return rows.where(col("model_key").isin(modelKeys.toArray())).select("inference_id", "model_key", "prompt", "output");
  }
}
