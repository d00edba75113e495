package ai.payable.attribution.audit;

import java.sql.Timestamp;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One row of {@code training_audit}, with the record's landing file and line (from {@code records},
 * not stored again) so a curator can open the line.
 *
 * @param rank 1 for the record with the highest self-influence
 */
public record AuditedRecord(String modelId, String recordId, String contributor, String datanet, double selfInfluence, double outlierScore, int rank,
    boolean flagged, int projectionDim, int modules, double threshold, Timestamp auditedAt, String sourceFile, long lineNo, String excerpt) {

  /** The {@code training_audit} row. */
  public Row toRow() {
    return RowFactory.create(modelId, recordId, contributor, datanet, selfInfluence, outlierScore, rank, flagged, projectionDim, modules, threshold,
        auditedAt);
  }
}
