package ai.payable.pipelines.ingest;

import ai.payable.core.crypto.Hex;
import ai.payable.pipelines.landing.LandingFile;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What became of a landing file since it was ingested. A file is skipped only when its size is the
 * same and it was not modified after its ingestion; otherwise it is read again, and its checksum
 * tells an append (the ingested bytes are still its start: only the lines after them are read as
 * new) from a rewrite that conflicts with what was ingested (its lines are quarantined).
 */
final class LandingRewrites {

  /** A file's state when last ingested, from {@code ingested_files}: its size, checksum and line count then. */
  record Ingested(long size, String sha256, long lines, Instant ingestedAt) {}

  private LandingRewrites() {}

  /** Whether {@code file} is as it was ingested: same size, and not modified since. */
  static boolean unchanged(LandingFile file, Ingested before) {
    return before != null && file.size() == before.size() && file.modifiedMillis() <= before.ingestedAt().toEpochMilli();
  }

  /**
   * Whether a file that changed since {@code before} was rewritten rather than appended to:
   * shorter than it was, or its first {@code before.size()} bytes no longer hash to the ingested
   * checksum. Reads at most that many bytes.
   */
  static boolean conflicts(LandingFile file, Ingested before, Configuration hadoop) throws IOException {
    if (file.size() < before.size()) {
      return true;
    }
    Path path = new Path(file.path());
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(path.getFileSystem(hadoop).open(path), sha)) {
      byte[] buffer = new byte[1 << 16];
      long left = before.size();
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          return true;
        }
        left -= n;
      }
    }
    return !Hex.encode(sha.digest()).substring(2).equals(before.sha256());
  }
}
