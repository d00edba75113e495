package ai.payable.core.catalog;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One row of {@link Tables#TRAINING_EXAMPLES}: a record that trained a model or was held out from
 * it. {@link #toRow} writes the table's columns in order.
 */
public record TrainingExampleRow(String modelId, String recordId, String contributor, String datanet, TrainingSplit split) {

  /** The row in the table's schema, columns in its order. */
  public Row toRow() {
    return RowFactory.create(modelId, recordId, contributor, datanet, split.value());
  }
}
