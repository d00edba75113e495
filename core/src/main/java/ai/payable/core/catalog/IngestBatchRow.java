package ai.payable.core.catalog;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;

/**
 * One row of {@link Tables#INGEST_BATCHES}: the lines of one batch, DataNet (or model) and
 * contributor (or requester) with one outcome, either all of them ({@link #ALL_REASONS}) or those
 * carrying one quarantine reason. {@link #fromRow} is the only place that names the table's columns.
 *
 * @param datanet the DataNet of submissions or the model of inferences; empty when the line named none
 * @param contributor the contributor of submissions or the requester of inferences; empty when unknown
 */
public record IngestBatchRow(String batchId, String kind, String datanet, String contributor, IngestOutcome outcome, String reason, long lines,
    Instant committedAt) {

  /** The {@code reason} of the rows that count every line of their outcome, whatever its reasons. */
  public static final String ALL_REASONS = "ALL";

  /** The row as read from the table. */
  public static IngestBatchRow fromRow(Row r) {
    return new IngestBatchRow(r.getAs("batch_id"), r.getAs("kind"), r.getAs("datanet"), r.getAs("contributor"), IngestOutcome.of(r.getAs("outcome")),
        r.getAs("reason"), r.<Long>getAs("lines"), r.<Timestamp>getAs("committed_at").toInstant());
  }

  /** Whether the row counts every line of its outcome rather than one reason's. */
  public boolean isTotal() {
    return ALL_REASONS.equals(reason);
  }
}
