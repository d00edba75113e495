package ai.payable.core.testing;

import ai.payable.core.config.PayableConfig;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.lakehouse.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base for tests that need Spark: one local session per test JVM ({@code local[2]}, UI off, two
 * shuffle partitions) shared by every test class, and a fresh lakehouse directory per test.
 */
public abstract class SparkTestBase {

  private static SparkSession shared;

  /** The fresh lakehouse of the current test. */
  protected Lakehouse lakehouse;

  /** A scratch directory of the current test, beside its lakehouse. */
  protected Path scratch;

  /** The shared session, built on first use. */
  protected static synchronized SparkSession spark() {
    if (shared == null) {
      PayableConfig config =
          PayableConfig.from(
              null, Map.of(PayableConfig.ENV_SPARK_MASTER, "local[2]"));
      shared =
          SparkSessions.getOrCreate(
              new PayableConfig(config.lakehouse(), "local[2]", 2, config.s3Endpoint()));
      shared.sparkContext().setLogLevel("WARN");
    }
    return shared;
  }

  @BeforeEach
  void newLakehouse() throws IOException {
    scratch = Files.createTempDirectory("payable-test-");
    lakehouse = new Lakehouse(spark(), scratch.resolve("lakehouse").toUri());
  }

  /** Config pointing at this test's lakehouse, for code that opens its own. */
  protected PayableConfig config() {
    return new PayableConfig(lakehouse.root(), "local[2]", 2, java.util.Optional.empty());
  }
}
