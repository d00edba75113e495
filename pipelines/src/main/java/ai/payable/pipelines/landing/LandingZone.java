package ai.payable.pipelines.landing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A landing zone: a local directory or an {@code s3a://} prefix where contributors and serving
 * systems drop JSONL files. Listed through Hadoop's FileSystem so both behave the same.
 */
public final class LandingZone {

  private LandingZone() {}

  /**
   * Every {@code .jsonl} / {@code .json} file under {@code uri}, recursively, oldest first. Files
   * and folders starting with {@code .} or {@code _} are skipped: uploads in progress by
   * convention.
   *
   * @throws IllegalArgumentException when the landing zone does not exist
   */
  public static List<LandingFile> list(URI uri, Configuration hadoop) {
    try {
      FileSystem fs = FileSystem.get(uri, hadoop);
      Path root = new Path(uri);
      if (!fs.exists(root)) {
        throw new IllegalArgumentException("landing zone " + uri + " does not exist; create it or pass --landing");
      }
      List<LandingFile> files = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus status = it.next();
        String relative = root.toUri().relativize(status.getPath().toUri()).getPath();
        if (hidden(relative) || !(relative.endsWith(".jsonl") || relative.endsWith(".json"))) {
          continue;
        }
        files.add(new LandingFile(status.getPath().toString(), status.getLen(), status.getModificationTime()));
      }
      files.sort(Comparator.comparingLong(LandingFile::modifiedMillis).thenComparing(LandingFile::path));
      return files;
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("landing zone " + uri + " does not exist; create it or pass --landing", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list landing zone " + uri + ": " + e.getMessage(), e);
    }
  }

  private static boolean hidden(String relativePath) {
    for (String part : relativePath.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }
}
