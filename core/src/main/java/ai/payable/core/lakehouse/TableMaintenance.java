package ai.payable.core.lakehouse;

import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.catalog.VersionPin;
import io.delta.tables.DeltaTable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Keeps the Delta tables fast to read: hourly ingestion leaves many small files, which compaction
 * ({@code OPTIMIZE}) rewrites into few large ones; {@code VACUUM} then deletes files no version
 * within the retention window still references.
 *
 * <p>Vacuuming limits time travel. Versions other tables pin ({@link Tables#versionPins()}, e.g. a
 * registered model's {@code records_version}) must stay readable, so the retention of a pinned
 * table is stretched, for both its data files and its log, to reach back to the oldest pinned
 * version, whatever retention was asked for. Both operations leave every table's rows unchanged
 * and are safe to repeat.
 */
public final class TableMaintenance {

  /**
   * What maintenance did to one table.
   *
   * @param keptForPins when vacuumed, the retention in hours if the table's pinned versions needed more than was asked
   */
  public record Outcome(String table, long filesBefore, long filesAfter, long rows, boolean vacuumed, OptionalLong keptForPins) {}

  /** Slack above a pinned version's age, so that a version committed during maintenance is covered too. */
  private static final long PIN_MARGIN_HOURS = 1;

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
    OptionalLong keptForPins = OptionalLong.empty();
    if (vacuumRetentionHours.isPresent()) {
      long hours = vacuumRetentionHours.getAsLong();
      OptionalLong pinnedAge = oldestPinAgeHours(table, delta);
      if (pinnedAge.isPresent() && pinnedAge.getAsLong() + PIN_MARGIN_HOURS > hours) {
        hours = pinnedAge.getAsLong() + PIN_MARGIN_HOURS;
        keptForPins = OptionalLong.of(hours);
      }
      // Delta takes the retention from the table properties, not from VACUUM's argument. Time travel
      // also needs the log, kept 30 days by default: a pin older than that stretches it too.
      Map<String, String> properties = delta.detail().select("properties").head().<String, String>getJavaMap(0);
      Map<String, String> wanted = new LinkedHashMap<>();
      wanted.put(RETENTION_PROPERTY, "interval " + hours + " hours");
      if (keptForPins.isPresent() && hours > DEFAULT_LOG_RETENTION_HOURS) {
        wanted.put(LOG_RETENTION_PROPERTY, "interval " + hours + " hours");
      }
      wanted.entrySet().removeIf(e -> e.getValue().equals(properties.get(e.getKey())));
      if (!wanted.isEmpty()) {
        spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES (" + wanted.entrySet().stream()
            .map(e -> "'" + e.getKey() + "' = '" + e.getValue() + "'").collect(Collectors.joining(", ")) + ")");
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
    return Optional.of(new Outcome(table.name(), before, files(delta), rows, vacuumRetentionHours.isPresent(), keptForPins));
  }

  /** Hours since the oldest version of {@code table} another table pins was committed; empty when none is pinned. */
  private OptionalLong oldestPinAgeHours(TableDef table, DeltaTable delta) {
    OptionalLong oldest = OptionalLong.empty();
    for (VersionPin pin : Tables.versionPins()) {
      if (!pin.pinned().equals(table) || !lakehouse.exists(pin.holder())) {
        continue;
      }
      Row min = lakehouse.read(pin.holder()).agg(functions.min(pin.column())).head();
      if (!min.isNullAt(0) && (oldest.isEmpty() || min.getLong(0) < oldest.getAsLong())) {
        oldest = OptionalLong.of(min.getLong(0));
      }
    }
    if (oldest.isEmpty()) {
      return OptionalLong.empty();
    }
    // The version's commit time; when its log entry is gone already, the oldest one left.
    Row committed = delta.history().where(functions.col("version").geq(oldest.getAsLong())).agg(functions.min("timestamp")).head();
    if (committed.isNullAt(0)) {
      return OptionalLong.empty();
    }
    long seconds = Duration.between(committed.getTimestamp(0).toInstant(), Instant.now()).getSeconds();
    return OptionalLong.of(Math.max(0, (seconds + 3599) / 3600));
  }

  private static final String RETENTION_PROPERTY = "delta.deletedFileRetentionDuration";
  private static final String LOG_RETENTION_PROPERTY = "delta.logRetentionDuration";
  private static final long DEFAULT_LOG_RETENTION_HOURS = 30 * 24;

  private static long files(DeltaTable delta) {
    return delta.detail().select("numFiles").head().getLong(0);
  }
}
