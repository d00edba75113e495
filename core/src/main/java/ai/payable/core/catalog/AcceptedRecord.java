package ai.payable.core.catalog;

import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * An accepted record as training, retrieval and audits read it from {@link Tables#RECORDS}: what it
 * says and who said it. {@link #COLUMNS} and {@link #fromRow} are the only places that name these
 * columns.
 *
 * @param contributor null for a record made up outside the lakehouse (benchmarks)
 */
public record AcceptedRecord(String recordId, String contributor, String datanet, RecordKind kind, String prompt, String completion, String text)
    implements Serializable {

  /** The columns {@link #fromRow} reads, for a {@code select}. */
  public static final Column[] COLUMNS = {
      functions.col("record_id"), functions.col("contributor"), functions.col("datanet"), functions.col("kind"), functions.col("prompt"),
      functions.col("completion"), functions.col("text")};

  /** The content of a records row that has at least {@link #COLUMNS}. */
  public static AcceptedRecord fromRow(Row r) {
    return new AcceptedRecord(r.getAs("record_id"), r.getAs("contributor"), r.getAs("datanet"), RecordKind.of(r.getAs("kind")), r.getAs("prompt"),
        r.getAs("completion"), r.getAs("text"));
  }

  /** The record as one string ({@code prompt + "\n" + completion} for a question): what retrieval and span matching index. */
  public String joinedText() {
    return kind == RecordKind.QA ? prompt + "\n" + completion : text;
  }
}
