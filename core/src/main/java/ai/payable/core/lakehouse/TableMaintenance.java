package ai.payable.core.lakehouse;

import ai.payable.core.catalog.TableDef;
import io.delta.tables.DeltaTable;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.SparkSession;

/**
 * Keeps the Delta tables fast to read: hourly ingestion leaves many small files, which compaction
 * ({@code OPTIMIZE}) rewrites into few large ones; {@code VACUUM} then deletes files no version
 * within the retention window still references.
 *
 * <p>Vacuuming limits time travel: a model's {@code records_version} can only be re-read while its
 * files are kept, so the retention should cover how far back training must stay reproducible.
 * Both operations leave every table's rows unchanged and are safe to repeat.
 */
public final class TableMaintenance {

  /** What maintenance did to one table. */
  public record Outcome(String table, long filesBefore, long filesAfter, long rows, boolean vacuumed) {}

  private final Lakehouse lakehouse;

  public TableMaintenance(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /**
   * Compacts {@code table}, then vacuums files older than {@code vacuumRetentionHours} when given.
   * A table that was never created is left alone (empty result).
   */
  public Optional<Outcome> maintain(TableDef table, OptionalLong vacuumRetentionHours) {
    String path = lakehouse.path(table);
    SparkSession spark = lakehouse.spark();
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return Optional.empty();
    }
    DeltaTable delta = DeltaTable.forPath(spark, path);
    long before = files(delta);
    delta.optimize().executeCompaction();
    if (vacuumRetentionHours.isPresent()) {
      // Delta takes the retention from the table property, not from VACUUM's argument.
      String retention = "interval " + vacuumRetentionHours.getAsLong() + " hours";
      String current = delta.detail().select("properties").head().<String, String>getJavaMap(0).get(RETENTION_PROPERTY);
      if (!retention.equals(current)) {
        spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES ('" + RETENTION_PROPERTY + "' = '" + retention + "')");
      }
      // Vacuum lists files with one task per parallelPartitionDiscovery.parallelism (10,000 by
      // default): on a small cluster that is minutes of task overhead per table.
      String key = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
      String saved = spark.conf().get(key);
      spark.conf().set(key, String.valueOf(Math.max(1, spark.sparkContext().defaultParallelism() * 4)));
      try {
        delta.vacuum();
      } finally {
        spark.conf().set(key, saved);
      }
    }
    long rows = delta.toDF().count();
    return Optional.of(new Outcome(table.name(), before, files(delta), rows, vacuumRetentionHours.isPresent()));
  }

  private static final String RETENTION_PROPERTY = "delta.deletedFileRetentionDuration";

  private static long files(DeltaTable delta) {
    return delta.detail().select("numFiles").head().getLong(0);
  }
}
