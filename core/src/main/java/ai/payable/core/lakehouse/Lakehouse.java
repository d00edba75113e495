package ai.payable.core.lakehouse;

import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.PayableConfig;
import io.delta.tables.DeltaTable;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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

  /** Registers every catalog table as a temporary view named after it, for SQL. */
  public void registerViews() {
    for (TableDef table : Tables.all()) {
      read(table).createOrReplaceTempView(table.name());
    }
  }
}
