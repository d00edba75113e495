package ai.payable.core.lakehouse;

import ai.payable.core.catalog.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows of {@code records} that readers downstream of ingestion may use: those of committed
 * batches only. Ingestion appends a batch's records first and commits it last (its {@code
 * ingested_files} rows); rows of a batch that is still running, or crashed and will be deleted by
 * the next run's recovery, must never be trained on or indexed.
 */
public final class CommittedRecords {

  private CommittedRecords() {}

  /** Version {@code version} of {@code records}, without the rows of batches not committed now. */
  public static Dataset<Row> at(Lakehouse lakehouse, long version) {
    Dataset<Row> committed = lakehouse.read(Tables.INGESTED_FILES).select("batch_id").distinct();
    return lakehouse.snapshot(Tables.RECORDS, version).join(committed, "batch_id", "left_semi");
  }
}
