package ai.payable.pipelines.ingest;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * A staged row filled by column name, so that a stager never counts positions; columns left unset
 * stay null (a rejected line knows little more than where it came from).
 */
final class StagedRow {

  private final StructType schema;
  private final Object[] values;

  StagedRow(StructType schema) {
    this.schema = schema;
    this.values = new Object[schema.length()];
  }

  /** Sets {@code column}, which the schema must have. */
  StagedRow set(String column, Object value) {
    values[schema.fieldIndex(column)] = value;
    return this;
  }

  Row toRow() {
    return RowFactory.create(values);
  }
}
