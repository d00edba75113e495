package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.functions.lit;

import ai.payable.core.catalog.LandingKind;
import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.landing.LandingFile;
import ai.payable.pipelines.landing.LandingZone;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
    Set<String> known = ledger.ingestedPathSizes();
    List<LandingFile> fresh = listed.stream().filter(f -> !known.contains(LandingCheckpoint.key(f.path(), f.size()))).toList();
    if (fresh.isEmpty()) {
      checkpoint(known);
      progress.step("");
      return new IngestSummary(kind.landing().value(), null, listed.size(), listed.size(), 0, 0, 0, 0, Map.of(), List.of(), recovered);
    }
    String batchId = batchId(kind.landing().batchPrefix(), fresh);
    Timestamp now = Timestamp.from(Instant.now());

    progress.step("reading and validating " + fresh.size() + " files");
    Dataset<Row> staged =
        withoutIngestedContent(LandingRead.stage(lakehouse.spark(), fresh, kind.stagedSchema(), stager), ledger.ingestedFiles())
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // Materialise once: every later step reads these lines, and validation is the costly part.
      staged.count();
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
        ledger.commit(IngestOutputs.files(lakehouse, staged, fresh, kind.landing().value(), batchId, now));
        Set<String> committed = new HashSet<>(known);
        fresh.forEach(f -> committed.add(LandingCheckpoint.key(f.path(), f.size())));
        checkpoint(committed);
        progress.step("");
        return IngestOutputs.summary(kind.landing().value(), batchId, listed.size(), listed.size() - fresh.size(), fresh.size(), metricRows, recovered);
      } finally {
        decision.release().run();
      }
    } finally {
      staged.unpersist();
    }
  }

  private void checkpoint(Set<String> committed) {
    try {
      LandingCheckpoint.record(lakehouse.root(), kind, committed, lakehouse.spark().sparkContext().hadoopConfiguration());
    } catch (java.io.IOException e) {
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
