package ai.payable.pipelines.ingest;

import ai.payable.core.catalog.Tables;
import ai.payable.core.inference.InferenceLogLine;
import ai.payable.pipelines.validate.InferenceValidator;
import java.sql.Timestamp;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** The staged form of an inference log line, before the duplicate-id check. */
final class InferenceStaging {

  /**
   * The line columns, then every column of {@code inferences} but its ingest lineage and the epoch
   * (assigned when the batch is written), nullable.
   */
  public static final StructType SCHEMA = LandingRead.withLineColumns(Tables.INFERENCES.nullableColumnsExcept(
      Stream.concat(Tables.INGEST_LINEAGE.stream(), Stream.of("epoch")).collect(Collectors.toSet())));

  private InferenceStaging() {}

  /** A stager that validates each line with {@code validator}. */
  public static LandingRead.LineStager stager(InferenceValidator validator) {
    return (path, sha, arrival, line) -> {
      InferenceValidator.Result v = validator.validate(line);
      StagedRow row = LandingRead.lineRow(SCHEMA, path, sha, arrival, line, v.reasons(), v.detail())
          .set("inference_id", v.inferenceId()).set("model_id", v.modelId()).set("requester", v.requester());
      InferenceLogLine i = v.inference();
      if (i == null) {
        return row.toRow();
      }
      Row[] retrieved = i.retrieved().stream().map(r -> RowFactory.create(r.recordId(), r.score())).toArray(Row[]::new);
      return row.set("ts", Timestamp.from(i.ts())).set("adapter_id", i.adapterId()).set("prompt", i.prompt()).set("output", i.output())
          .set("prompt_tokens", i.promptTokens()).set("output_tokens", i.outputTokens()).set("fee_wei", i.fee().toDecimal()).set("retrieved", retrieved)
          .set("gateway", i.gateway()).toRow();
    };
  }
}
