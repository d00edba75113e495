package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import ai.payable.core.catalog.Tables;
import ai.payable.pipelines.validate.InferenceValidator;
import java.sql.Timestamp;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** The staged form of an inference log line, before the duplicate-id check. */
public final class InferenceStaging {

  public static final StructType SCHEMA =
      LandingRead.lineColumns()
          .add("inference_id", StringType, true)
          .add("ts", TimestampType, true)
          .add("model_id", StringType, true)
          .add("adapter_id", StringType, true)
          .add("prompt", StringType, true)
          .add("output", StringType, true)
          .add("prompt_tokens", IntegerType, true)
          .add("output_tokens", IntegerType, true)
          .add("fee_wei", Tables.WEI, true)
          .add("retrieved", createArrayType(new StructType().add("record_id", StringType, true).add("score", DoubleType, true), false), true)
          .add("requester", StringType, true);

  private InferenceStaging() {}

  /** A stager that validates each line with {@code validator}. */
  public static LandingRead.LineStager stager(InferenceValidator validator) {
    return (path, sha, arrival, line) -> {
      InferenceValidator.Result v = validator.validate(line);
      InferenceValidator.Inference i = v.inference();
      String raw = LandingRead.keepRaw(line.text());
      boolean truncated = line.text().length() > LandingRead.RAW_KEEP_CHARS;
      String[] reasons = v.reasons().toArray(String[]::new);
      if (i == null) {
        return RowFactory.create(path, line.lineNo(), arrival, sha, raw, line.bytes(), truncated, reasons, v.detail(),
            v.inferenceId(), null, v.modelId(), null, null, null, null, null, null, null, v.requester());
      }
      Row[] retrieved = i.retrieved().stream().map(r -> RowFactory.create(r.recordId(), r.score())).toArray(Row[]::new);
      return RowFactory.create(path, line.lineNo(), arrival, sha, raw, line.bytes(), truncated, reasons, null,
          i.inferenceId(), Timestamp.from(i.ts()), i.modelId(), i.adapterId(), i.prompt(), i.output(), i.promptTokens(), i.outputTokens(), i.fee().toDecimal(),
          retrieved, i.requester());
    };
  }
}
