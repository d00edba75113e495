package ai.payable.core.artifacts;

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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Where artifacts are published (distributions, models): one folder per item under a root that is
 * a local directory, a {@code file:} URI or any Hadoop file system ({@code s3a://bucket/prefix}).
 * Readers may also fetch a published folder over {@code https://}.
 */
public final class ArtifactStore {

  private final URI root;
  private final Configuration hadoop;

  private ArtifactStore(URI root, Configuration hadoop) {
    this.root = root;
    this.hadoop = hadoop;
  }

  /** Artifacts under {@code location} (a path or URI), reached with {@code hadoop}'s settings. */
  public static ArtifactStore at(String location, Configuration hadoop) {
    return new ArtifactStore(PayableConfig.toUri(location), hadoop);
  }

  /** Whether files can be written in place (a local file system) rather than staged and copied. */
  public boolean isLocal() {
    return "file".equals(root.getScheme());
  }

  /** The folder of item {@code name} (an epoch, a model id). */
  public URI folder(String name) {
    String base = root.toString();
    // A plain path that names an existing directory becomes a URI ending in '/'.
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/" + name);
  }

  /** The local folder of {@code name}; only when {@link #isLocal()}. */
  public Path localFolder(String name) {
    return Path.of(folder(name));
  }

  /** Copies the files of {@code staged} into {@code name}'s folder, replacing what is there. */
  public URI publish(String name, Path staged) throws IOException {
    URI target = folder(name);
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

  /** Publishes {@code staged} as {@link #publish} does, then deletes the local staging folder. */
  public URI publishStaged(String name, Path staged) throws IOException {
    URI published = publish(name, staged);
    try (var files = Files.walk(staged)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    return published;
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
      throw new FileNotFoundException(path + " does not exist");
    }
    return fs.open(path);
  }

  /**
   * A local directory holding the files of the published folder {@code folder}: the folder itself
   * when it is local, else a copy under {@code cache} (reused when already complete).
   */
  public static Path materialize(String folder, Path cache, Configuration hadoop) throws IOException {
    URI uri = PayableConfig.toUri(folder);
    if ("file".equals(uri.getScheme())) {
      Path local = Path.of(uri);
      if (!Files.isDirectory(local)) {
        throw new FileNotFoundException(local + " does not exist");
      }
      return local;
    }
    Path target = cache.resolve(Integer.toHexString(uri.toString().hashCode()) + "-" + Path.of(uri.getPath()).getFileName());
    Path done = target.resolve(".complete");
    if (Files.exists(done)) {
      return target;
    }
    org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
    FileSystem fs = source.getFileSystem(hadoop);
    Files.createDirectories(target);
    for (var status : fs.listStatus(source)) {
      if (status.isFile()) {
        fs.copyToLocalFile(false, status.getPath(), new org.apache.hadoop.fs.Path(target.resolve(status.getPath().getName()).toUri()), true);
      }
    }
    Files.createFile(done);
    return target;
  }
}
