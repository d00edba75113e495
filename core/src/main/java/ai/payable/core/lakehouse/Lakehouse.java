package ai.payable.core.lakehouse;

import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.PayableConfig;
import io.delta.tables.DeltaTable;
import java.net.URI;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The lakehouse: one root (local directory or {@code s3a://} prefix) holding every Delta table of
 * {@link Tables}. Tables are path-based, so nothing depends on a metastore, and are created with
 * their catalog schema the first time they are used.
 */
public final class Lakehouse {

  private final SparkSession spark;
  private final URI root;
  private final Set<String> ensured = ConcurrentHashMap.newKeySet();

  public Lakehouse(SparkSession spark, URI root) {
    this.spark = spark;
    this.root = canonical(root);
  }

  /** {@code file:///x} and {@code file:/x} name one place; Delta insists on the latter. */
  private static URI canonical(URI uri) {
    if (!"file".equals(uri.getScheme())) {
      return uri;
    }
    String path = uri.getPath();
    return URI.create("file:" + (path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path));
  }

  /** Opens the lakehouse of {@code config}, building the Spark session if needed. */
  public static Lakehouse open(PayableConfig config) {
    return new Lakehouse(SparkSessions.getOrCreate(config), config.lakehouse());
  }

  public SparkSession spark() {
    return spark;
  }

  public URI root() {
    return root;
  }

  /** Where a table's Delta log and files live. */
  public String path(TableDef table) {
    String base = root.toString();
    return (base.endsWith("/") ? base : base + "/") + table.name();
  }

  /** Creates the table with its catalog schema unless it exists; returns it. */
  public DeltaTable ensure(TableDef table) {
    String path = path(table);
    if (ensured.add(table.name())) {
      DeltaTable.createIfNotExists(spark)
          .location(path)
          .addColumns(table.schema())
          .partitionedBy(table.partitionBy().toArray(String[]::new))
          .comment(table.description())
          .execute();
    }
    return DeltaTable.forPath(spark, path);
  }

  /** The current snapshot of a table (created empty if new). */
  public Dataset<Row> read(TableDef table) {
    ensure(table);
    return spark.read().format("delta").load(path(table));
  }

  /**
   * The table as of its current version, pinned: recomputing the returned dataset later (after
   * this job has written to the same table) still sees exactly this version.
   */
  public Dataset<Row> snapshot(TableDef table) {
    return snapshot(table, version(table));
  }

  /** The table as of {@code version} (Delta time travel), e.g. the records version a model or an index read. */
  public Dataset<Row> snapshot(TableDef table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path(table));
  }

  /** The latest committed version of a table, for lineage (e.g. which records a model read). */
  public long version(TableDef table) {
    return ensure(table).history(1).select("version").head().getLong(0);
  }

  /** Whether the table has been created (without creating it). */
  public boolean exists(TableDef table) {
    return ensured.contains(table.name()) || DeltaTable.isDeltaTable(spark, path(table));
  }

  /** Appends {@code rows}, which hold at least the table's columns (selected by name, in its order). */
  public void append(TableDef table, Dataset<Row> rows) {
    ensure(table);
    rows.select(Arrays.stream(table.schema().fieldNames()).map(functions::col).toArray(Column[]::new)).write().format("delta").mode("append")
        .save(path(table));
  }

  /** Appends {@code rows}, each in the table's schema. */
  public void append(TableDef table, List<Row> rows) {
    append(table, spark.createDataFrame(rows, table.schema()));
  }

  /**
   * Replaces every row whose {@code column} equals {@code value} with {@code rows} in one commit
   * (Delta's {@code replaceWhere}): readers see the old rows or the new ones, never neither, and a
   * re-run writes the same result. Every row must have that value.
   */
  public void replace(TableDef table, String column, Object value, List<Row> rows) {
    ensure(table);
    spark.createDataFrame(rows, table.schema()).write().format("delta").mode("overwrite")
        .option("replaceWhere", "`" + column + "` = " + sqlLiteral(value)).save(path(table));
  }

  private static String sqlLiteral(Object value) {
    if (value instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (value instanceof LocalDate d) {
      return "DATE '" + d + "'";
    }
    throw new IllegalArgumentException("replace by a " + value.getClass().getSimpleName() + " value is not supported; use a String or LocalDate");
  }

  /**
   * Inserts the rows whose {@code key} is new and updates the others in one Delta MERGE, leaving the
   * columns in {@code keptOnUpdate} (such as a first-seen time) as they were.
   */
  public void upsert(TableDef table, List<Row> rows, String key, Set<String> keptOnUpdate) {
    Map<String, String> set = new LinkedHashMap<>();
    for (String column : table.schema().fieldNames()) {
      if (!column.equals(key) && !keptOnUpdate.contains(column)) {
        set.put(column, "u." + column);
      }
    }
    ensure(table).as("t").merge(spark.createDataFrame(rows, table.schema()).as("u"), "t." + key + " = u." + key)
        .whenMatched().updateExpr(set).whenNotMatched().insertAll().execute();
  }

  /** Registers every catalog table as a temporary view named after it, for SQL. */
  public void registerViews() {
    for (TableDef table : Tables.all()) {
      read(table).createOrReplaceTempView(table.name());
    }
  }
}
