package ai.payable.core.config;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Settings every stage needs: where the lakehouse lives and how to reach it. Built from command
 * line options with environment variables as fallbacks, so the same jar runs on a laptop and under
 * spark-submit. Credentials are never part of it: S3A reads them from its own provider chain
 * ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, instance profiles, ...).
 *
 * @param lakehouse root URI of all Delta tables: {@code file:/...} or {@code s3a://bucket/prefix}
 * @param sparkMaster master for a local run; ignored when spark-submit already set one
 * @param shufflePartitions Spark SQL shuffle partitions of a local run (spark-submit's
 *     {@code --conf spark.sql.shuffle.partitions=N} wins)
 * @param s3Endpoint optional S3 API endpoint for S3-compatible stores (MinIO, s3proxy, ...)
 */
public record PayableConfig(
    URI lakehouse, String sparkMaster, int shufflePartitions, Optional<String> s3Endpoint)
    implements Serializable {

  public static final String ENV_LAKEHOUSE = "PAYABLE_LAKEHOUSE";
  public static final String ENV_SPARK_MASTER = "PAYABLE_SPARK_MASTER";
  public static final String ENV_S3_ENDPOINT = "PAYABLE_S3_ENDPOINT";
  public static final String DEFAULT_LAKEHOUSE = "./lakehouse";

  /** Configuration from the process environment, with {@code lakehouseOption} winning if set. */
  public static PayableConfig fromEnvironment(String lakehouseOption) {
    return from(lakehouseOption, System.getenv());
  }

  /** Configuration from an explicit environment map (tests pass their own). */
  public static PayableConfig from(String lakehouseOption, Map<String, String> env) {
    String lakehouse =
        lakehouseOption != null
            ? lakehouseOption
            : env.getOrDefault(ENV_LAKEHOUSE, DEFAULT_LAKEHOUSE);
    return new PayableConfig(
        toUri(lakehouse),
        env.getOrDefault(ENV_SPARK_MASTER, "local[*]"),
        4,
        Optional.ofNullable(env.get(ENV_S3_ENDPOINT)).filter(s -> !s.isBlank()));
  }

  /**
   * Turns a user-supplied location into a URI: {@code s3a://…} and {@code file:…} pass through; a
   * plain path becomes an absolute {@code file:} URI so Spark executors agree on it.
   */
  public static URI toUri(String location) {
    if (location.startsWith("s3://") || location.startsWith("s3n://")) {
      throw new IllegalArgumentException(
          "use the s3a:// scheme (Hadoop S3A) instead of '" + location + "'");
    }
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || location.startsWith("file:")) {
      URI uri = URI.create(location);
      return uri.getPath() != null && uri.getPath().endsWith("/") && uri.getPath().length() > 1
          ? URI.create(location.substring(0, location.length() - 1))
          : uri;
    }
    return Path.of(location).toAbsolutePath().normalize().toUri();
  }
}
