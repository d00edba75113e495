package ai.payable.rewards.distribution;

import ai.payable.core.config.PayableConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Where distributions are published: one folder per epoch under a root that is a local directory,
 * a {@code file:} URI or any Hadoop file system ({@code s3a://bucket/prefix}). Contributors may
 * also read a published folder over {@code https://}.
 */
public final class DistributionArtifacts {

  private final URI root;
  private final Configuration hadoop;

  private DistributionArtifacts(URI root, Configuration hadoop) {
    this.root = root;
    this.hadoop = hadoop;
  }

  /** Artifacts under {@code location} (a path or URI), reached with {@code hadoop}'s settings. */
  public static DistributionArtifacts at(String location, Configuration hadoop) {
    return new DistributionArtifacts(PayableConfig.toUri(location), hadoop);
  }

  /** Whether files can be written in place (a local file system) rather than staged and copied. */
  public boolean isLocal() {
    return "file".equals(root.getScheme());
  }

  /** The folder of {@code epoch}. */
  public URI epochFolder(LocalDate epoch) {
    return URI.create(root + "/" + epoch);
  }

  /** The local folder of {@code epoch}; only when {@link #isLocal()}. */
  public Path localFolder(LocalDate epoch) {
    return Path.of(epochFolder(epoch));
  }

  /** Copies the files of {@code staged} into {@code epoch}'s folder, replacing what is there. */
  public URI publish(LocalDate epoch, Path staged) throws IOException {
    URI target = epochFolder(epoch);
    org.apache.hadoop.fs.Path dest = new org.apache.hadoop.fs.Path(target);
    FileSystem fs = dest.getFileSystem(hadoop);
    fs.mkdirs(dest);
    try (var files = Files.list(staged)) {
      for (Path f : files.toList()) {
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path(dest, f.getFileName().toString()));
      }
    }
    return target;
  }

  /**
   * Opens {@code file} of the published folder {@code folder}: a local path, a Hadoop URI or an
   * {@code http(s)://} URL. Outside Spark, {@code HadoopSettings.configuration(config)} gives
   * {@code hadoop}.
   *
   * @throws FileNotFoundException naming the full location when it does not exist
   */
  public static InputStream open(String folder, String file, Configuration hadoop) throws IOException {
    String base = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    if (base.startsWith("http://") || base.startsWith("https://")) {
      URI url = URI.create(base + "/" + file);
      try {
        HttpResponse<InputStream> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build()
            .send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          response.body().close();
          throw new FileNotFoundException(url + " answered HTTP " + response.statusCode());
        }
        return response.body();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + url, e);
      }
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(PayableConfig.toUri(base) + "/" + file);
    FileSystem fs = path.getFileSystem(hadoop);
    if (!fs.exists(path)) {
      throw new FileNotFoundException(path + " does not exist; is --distribution the folder of a built epoch?");
    }
    return fs.open(path);
  }
}
