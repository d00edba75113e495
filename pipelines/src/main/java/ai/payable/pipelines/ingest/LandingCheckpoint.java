package ai.payable.pipelines.ingest;

import ai.payable.core.catalog.TableDef;
import ai.payable.pipelines.landing.LandingFile;
import ai.payable.pipelines.landing.LandingZone;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lets a re-run with nothing new finish without starting Spark (10 to 55 s of start-up). A
 * finished ingest run writes {@code _payable/landing-KIND.json} in the lakehouse: the Delta version
 * of each table a batch writes and the landing files (path and size) ingested so far. The next run
 * compares those versions with the tables' {@code _delta_log} listings (a file listing, no Spark)
 * and the landing zone's listing with the files: when every table is unchanged and every listed
 * file is known, nothing is new and nothing needs doing.
 *
 * <p>Any doubt takes the full path: a table written since (another run, a crashed batch to roll
 * back, maintenance), a missing or unreadable checkpoint, a new or resized landing file. The
 * checkpoint only ever lists files whose batch was committed, so it can never hide a new line.
 */
final class LandingCheckpoint {

  static final String FOLDER = "_payable";
  private static final Pattern LOG_VERSION = Pattern.compile("(\\d{20})\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private LandingCheckpoint() {}

  /**
   * The summary of a run with nothing new, decided from file listings alone; empty when that
   * cannot be decided (then the run must go through Spark).
   */
  static Optional<IngestSummary> nothingNew(URI lakehouse, LandingIngest.Kind kind, URI landing, Configuration hadoop) {
    try {
      Path file = file(lakehouse, kind.landing().value());
      FileSystem fs = file.getFileSystem(hadoop);
      JsonNode saved;
      try (InputStream in = fs.open(file)) {
        saved = JSON.readTree(in);
      } catch (FileNotFoundException none) {
        return Optional.empty();
      }
      Optional<Map<String, Long>> now = versions(lakehouse, kind.tables(), hadoop);
      Map<String, Long> then = new LinkedHashMap<>();
      saved.path("versions").properties().forEach(e -> then.put(e.getKey(), e.getValue().asLong(-1)));
      if (now.isEmpty() || !now.get().equals(then)) {
        return Optional.empty();
      }
      Set<String> known = new HashSet<>();
      saved.path("files").forEach(f -> known.add(f.asText()));
      List<LandingFile> listed = LandingZone.list(landing, hadoop);
      if (!listed.stream().allMatch(f -> known.contains(key(f)))) {
        return Optional.empty();
      }
      return Optional.of(new IngestSummary(kind.landing().value(), null, listed.size(), listed.size(), 0, 0, 0, 0, Map.of(), List.of(), 0));
    } catch (IOException | RuntimeException unsure) {
      return Optional.empty();
    }
  }

  /** Records the tables' versions and the ingested files (path, size, modification time) after a finished run. */
  static void record(URI lakehouse, LandingIngest.Kind kind, List<LandingFile> ingested, Configuration hadoop) throws IOException {
    Optional<Map<String, Long>> versions = versions(lakehouse, kind.tables(), hadoop);
    Path file = file(lakehouse, kind.landing().value());
    FileSystem fs = file.getFileSystem(hadoop);
    if (versions.isEmpty()) {
      fs.delete(file, false);
      return;
    }
    ObjectNode o = JSON.createObjectNode();
    o.set("versions", JSON.valueToTree(versions.get()));
    new TreeSet<>(ingested.stream().map(LandingCheckpoint::key).toList()).forEach(o.putArray("files")::add);
    Path staged = new Path(file.getParent(), "." + file.getName() + ".tmp");
    try (OutputStream out = fs.create(staged, true)) {
      JSON.writeValue(out, o);
    }
    fs.delete(file, false);
    fs.rename(staged, file);
  }

  /** A file as the checkpoint knows it: a rewrite of the same size still changes its modification time. */
  static String key(LandingFile f) {
    return f.path() + "\n" + f.size() + "\n" + f.modifiedMillis();
  }

  /** Each table's latest Delta version, from its {@code _delta_log} listing; empty when a table does not exist yet. */
  private static Optional<Map<String, Long>> versions(URI lakehouse, List<TableDef> tables, Configuration hadoop) throws IOException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (TableDef t : tables) {
      Path log = new Path(base(lakehouse) + t.name() + "/_delta_log");
      FileSystem fs = log.getFileSystem(hadoop);
      if (!fs.exists(log)) {
        return Optional.empty();
      }
      long latest = -1;
      for (FileStatus s : fs.listStatus(log)) {
        var m = LOG_VERSION.matcher(s.getPath().getName());
        if (m.matches()) {
          latest = Math.max(latest, Long.parseLong(m.group(1)));
        }
      }
      if (latest < 0) {
        return Optional.empty();
      }
      out.put(t.name(), latest);
    }
    return Optional.of(out);
  }

  private static Path file(URI lakehouse, String kind) {
    return new Path(base(lakehouse) + FOLDER + "/landing-" + kind + ".json");
  }

  private static String base(URI lakehouse) {
    String s = lakehouse.toString();
    return s.endsWith("/") ? s : s + "/";
  }
}
