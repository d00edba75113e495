package ai.payable.core.catalog;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Where a {@link Tables#RECORDS} row came from: the landing file and the line in it. {@link #COLUMNS}
 * and {@link #fromRow} are the only places that name these columns.
 */
public record RecordLineage(String sourceFile, long lineNo) {

  /** The columns {@link #fromRow} reads, for a {@code select}. */
  public static final Column[] COLUMNS = {functions.col("source_file"), functions.col("line_no")};

  /** The lineage of a records row that has at least {@link #COLUMNS}. */
  public static RecordLineage fromRow(Row r) {
    return new RecordLineage(r.getAs("source_file"), r.<Long>getAs("line_no"));
  }
}
