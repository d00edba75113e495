package ai.payable.core.lakehouse;

import ai.payable.core.config.PayableConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place that builds a SparkSession: Delta's extension and catalog, S3A settings, and a
 * local master unless spark-submit already chose one.
 */
public final class SparkSessions {

  private SparkSessions() {}

  /** Returns the active session or builds one configured for {@code config}. */
  public static SparkSession getOrCreate(PayableConfig config) {
    SparkConf submitted = new SparkConf(); // picks up spark.* system properties set by spark-submit
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("payable")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC")
            // Our staged rows are wide; longer plan strings keep Spark from warning about them.
            .config("spark.sql.debug.maxToStringFields", "200")
            // Delta's snapshot state of our small tables needs no more than a few partitions.
            .config("spark.databricks.delta.snapshotPartitions", "2");
    // A cluster sizes its shuffles with spark-submit's --conf spark.sql.shuffle.partitions=N; ours is
    // only the default for local runs.
    if (!submitted.contains("spark.sql.shuffle.partitions")) {
      builder.config("spark.sql.shuffle.partitions", String.valueOf(config.shufflePartitions()));
    }
    if (!submitted.contains("spark.master")) {
      builder
          .master(config.sparkMaster())
          .config("spark.ui.enabled", System.getProperty("spark.ui.enabled", "false"))
          .config("spark.ui.showConsoleProgress", "false");
    }
    HadoopSettings.of(config).forEach((key, value) -> builder.config("spark.hadoop." + key, value));
    return builder.getOrCreate();
  }
}
