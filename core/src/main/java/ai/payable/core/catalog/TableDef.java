package ai.payable.core.catalog;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Delta table of the lakehouse: its name (also its folder under the root), schema, partition
 * columns and a one-line description shown by {@code payable sql --tables}.
 */
public record TableDef(String name, StructType schema, List<String> partitionBy, String description)
    implements Serializable {

  /**
   * The named columns as this table defines them, in the order named.
   *
   * @throws IllegalArgumentException naming the table and the column it lacks
   */
  public StructType columns(String... names) {
    StructType out = new StructType();
    for (String column : names) {
      if (!Arrays.asList(schema.fieldNames()).contains(column)) {
        throw new IllegalArgumentException("table " + name + " has no column '" + column + "'");
      }
      out = out.add(schema.apply(column));
    }
    return out;
  }

  /**
   * Every column but {@code left}, in table order and nullable: the form a stage fills before it
   * knows whether a row is valid (a rejected line leaves most of them empty).
   */
  public StructType nullableColumnsExcept(Set<String> left) {
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      if (!left.contains(f.name())) {
        out = out.add(f.name(), f.dataType(), true, f.metadata());
      }
    }
    return out;
  }
}
