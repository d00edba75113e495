package ai.payable.core.lakehouse;

import ai.payable.core.config.PayableConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop file system settings a configuration implies (an S3-compatible endpoint for S3A), in
 * one place for Spark sessions and for the commands that read artifacts without Spark.
 */
public final class HadoopSettings {

  private HadoopSettings() {}

  /** The settings as Hadoop keys ({@code fs.s3a.endpoint}, ...). */
  public static Map<String, String> of(PayableConfig config) {
    Map<String, String> settings = new LinkedHashMap<>();
    config.s3Endpoint().ifPresent(endpoint -> {
      settings.put("fs.s3a.endpoint", endpoint);
      settings.put("fs.s3a.path.style.access", "true");
      settings.put("fs.s3a.connection.ssl.enabled", String.valueOf(endpoint.startsWith("https")));
    });
    return settings;
  }

  /** A Hadoop configuration with these settings, for use outside Spark. */
  public static Configuration configuration(PayableConfig config) {
    Configuration conf = new Configuration();
    of(config).forEach(conf::set);
    return conf;
  }
}
