package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import ai.payable.core.catalog.LandingKind;
import ai.payable.core.catalog.QuarantineReason;
import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.failpoint.Failpoint;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.landing.LandingFile;
import ai.payable.pipelines.landing.LandingZone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * What every landing kind shares: roll back interrupted batches, list new files, stage their
 * lines once, let the kind decide each line's outcome, then write accepted rows, quarantine rows
 * and metrics, and commit the batch by recording its files.
 */
final class LandingIngest {

  /**
   * A landing kind and where its lines go.
   *
   * @param accepted the table accepted lines go to
   * @param stagedSchema schema of the staged lines
   */
  record Kind(LandingKind landing, TableDef accepted, StructType stagedSchema) {
    /** The tables a batch of this kind writes. */
    List<TableDef> tables() {
      return List.of(accepted, Tables.QUARANTINE, Tables.INGEST_BATCHES, Tables.INGESTED_FILES);
    }
  }

  /**
   * What a kind decided for a batch.
   *
   * @param accepted rows for the kind's table (columns by name; batch columns are added)
   * @param quarantined staged rows to quarantine, with {@code reasons}, {@code detail},
   *     {@code datanet}, {@code contributor}, {@code record_id} and {@code duplicate_of}
   * @param outcomes one row per line: {@code group}, {@code party}, {@code reasons} (empty when
   *     accepted), for the batch metrics
   * @param release frees what the decision cached
   */
  record Decision(Dataset<Row> accepted, Dataset<Row> quarantined, Dataset<Row> outcomes, Runnable release) {}

  /** Decides the outcome of every staged line of a batch. */
  @FunctionalInterface
  interface Decider {
    Decision decide(Dataset<Row> staged);
  }

  private final Lakehouse lakehouse;
  private final Progress progress;
  private final Kind kind;

  LandingIngest(Lakehouse lakehouse, Progress progress, Kind kind) {
    this.lakehouse = lakehouse;
    this.progress = progress;
    this.kind = kind;
  }

  /** Ingests the new files of {@code landing} with {@code stager} and {@code decider}. */
  IngestSummary run(URI landing, LandingRead.LineStager stager, Decider decider) {
    progress.step("rolling back interrupted " + kind.landing().value() + " batches");
    BatchLedger ledger =
        new BatchLedger(lakehouse, kind.landing().value(), kind.landing().batchPrefix(), List.of(kind.accepted(), Tables.QUARANTINE, Tables.INGEST_BATCHES));
    int recovered = ledger.recover().size();
    progress.step("listing " + landing);
    List<LandingFile> listed = LandingZone.list(landing, lakehouse.spark().sparkContext().hadoopConfiguration());
    Map<String, LandingRewrites.Ingested> ingested = ledger.ingestedStates();
    List<LandingFile> fresh = listed.stream().filter(f -> !LandingRewrites.unchanged(f, ingested.get(f.path()))).toList();
    if (fresh.isEmpty()) {
      checkpoint(listed);
      progress.step("");
      return new IngestSummary(kind.landing().value(), null, listed.size(), listed.size(), 0, 0, 0, 0, Map.of(), List.of(), recovered);
    }
    String batchId = batchId(kind.landing().batchPrefix(), fresh);
    Timestamp now = Timestamp.from(Instant.now());

    progress.step("reading and validating " + fresh.size() + " files");
    Set<String> rewritten = rewritten(fresh, ingested);
    // Every line of the files read, for what ingested_files records of them (checksum, line count) ...
    Dataset<Row> read = LandingRead.stage(lakehouse.spark(), fresh, kind.stagedSchema(), stager).persist(StorageLevel.MEMORY_AND_DISK());
    // ... and the lines this batch decides on: not those ingested before, with conflicting rewrites marked.
    Dataset<Row> staged =
        quarantineRewrites(withoutLinesSeen(withoutIngestedContent(read, ledger.ingestedFiles()), fresh, ingested, rewritten), rewritten);
    try {
      // Materialise once: every later step reads these lines, and validation is the costly part.
      read.count();
      Decision decision = decider.decide(staged);
      try {
        progress.step("writing " + kind.accepted().name());
        lakehouse.append(kind.accepted(),
            decision.accepted().withColumn("batch_id", lit(batchId)).withColumn("ingested_at", lit(now)));
        progress.step("writing quarantine");
        lakehouse.append(Tables.QUARANTINE,
            decision.quarantined()
                .withColumn("kind", lit(kind.landing().lineValue()))
                .withColumn("batch_id", lit(batchId))
                .withColumn("quarantined_at", lit(now)));
        progress.step("writing batch metrics and committing");
        Dataset<Row> metrics = IngestOutputs.metrics(decision.outcomes(), batchId, kind.landing().value(), now).persist();
        lakehouse.append(Tables.INGEST_BATCHES, metrics);
        List<Row> metricRows = metrics.collectAsList();
        metrics.unpersist();
        Failpoint.INGEST_WRITTEN.reach();
        ledger.commit(IngestOutputs.files(lakehouse, read, fresh, kind.landing().value(), batchId, now));
        Failpoint.INGEST_COMMITTED.reach();
        checkpoint(listed);
        progress.step("");
        return IngestOutputs.summary(kind.landing().value(), batchId, listed.size(), listed.size() - fresh.size(), fresh.size(), metricRows, recovered);
      } finally {
        decision.release().run();
      }
    } finally {
      read.unpersist();
    }
  }

  /** Files that changed since they were ingested other than by appending lines. */
  private Set<String> rewritten(List<LandingFile> fresh, Map<String, LandingRewrites.Ingested> ingested) {
    Set<String> out = new HashSet<>();
    for (LandingFile f : fresh) {
      LandingRewrites.Ingested before = ingested.get(f.path());
      try {
        if (before != null && LandingRewrites.conflicts(f, before, lakehouse.spark().sparkContext().hadoopConfiguration())) {
          out.add(f.path());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot re-read " + f.path() + " to compare it with what was ingested", e);
      }
    }
    return out;
  }

  /** Of a file that grew by appended lines, only the lines after those ingested before are read as new. */
  static Dataset<Row> withoutLinesSeen(Dataset<Row> staged, List<LandingFile> fresh, Map<String, LandingRewrites.Ingested> ingested, Set<String> rewritten) {
    Column seen = lit(false);
    for (LandingFile f : fresh) {
      LandingRewrites.Ingested before = ingested.get(f.path());
      if (before != null && !rewritten.contains(f.path())) {
        seen = seen.or(col(LandingRead.SOURCE_FILE).equalTo(f.path()).and(col(LandingRead.LINE_NO).leq(before.lines())));
      }
    }
    return staged.where(functions.not(seen));
  }

  /** Every line of a conflicting rewrite goes to quarantine with that reason, whatever else it has. */
  static Dataset<Row> quarantineRewrites(Dataset<Row> staged, Set<String> rewritten) {
    if (rewritten.isEmpty()) {
      return staged;
    }
    Column hit = col(LandingRead.SOURCE_FILE).isin(rewritten.toArray());
    return staged
        .withColumn(LandingRead.REASONS, when(hit, array(lit(QuarantineReason.CONFLICTING_REWRITE.name()))).otherwise(col(LandingRead.REASONS)))
        .withColumn(LandingRead.DETAIL, when(hit, lit(QuarantineReason.CONFLICTING_REWRITE.name() + ": the file was rewritten after it was ingested "
            + "(its ingested content is no longer its start); its lines are not taken again. Land corrections as a new file"))
            .otherwise(col(LandingRead.DETAIL)));
  }

  /** Records the listed files (all ingested now, each with its size and modification time) for the next run's shortcut. */
  private void checkpoint(List<LandingFile> listed) {
    try {
      LandingCheckpoint.record(lakehouse.root(), kind, listed, lakehouse.spark().sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      // Only the next run's shortcut is lost: it will go through Spark and rewrite the checkpoint.
      progress.step("could not write the landing checkpoint (" + e.getMessage() + "); the next run will check through Spark");
    }
  }

  /** Drops lines of files whose exact content (path and checksum) was already ingested. */
  static Dataset<Row> withoutIngestedContent(Dataset<Row> staged, Set<String> ingested) {
    if (ingested.isEmpty()) {
      return staged;
    }
    List<Row> keys = ingested.stream().map(k -> RowFactory.create((Object[]) k.split("\n", 2))).toList();
    Dataset<Row> done =
        staged.sparkSession().createDataFrame(keys, new StructType().add("done_file", "string").add("done_sha256", "string"));
    return staged.join(done, staged.col("source_file").equalTo(done.col("done_file"))
        .and(staged.col("file_sha256").equalTo(done.col("done_sha256"))), "left_anti");
  }

  /** A batch id derived from the files it reads, so a re-run of the same files gets the same id. */
  static String batchId(String prefix, List<LandingFile> files) {
    String key = files.stream().map(f -> f.path() + "|" + f.size() + "|" + f.modifiedMillis()).sorted().collect(Collectors.joining("\n"));
    return prefix + Keccak.hex(key.getBytes(StandardCharsets.UTF_8)).substring(2, 18);
  }
}
