package ai.payable.core.catalog;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * A Delta table of the lakehouse: its name (also its folder under the root), schema, partition
 * columns and a one-line description shown by {@code payable sql --tables}.
 */
public record TableDef(String name, StructType schema, List<String> partitionBy, String description)
    implements Serializable {}
