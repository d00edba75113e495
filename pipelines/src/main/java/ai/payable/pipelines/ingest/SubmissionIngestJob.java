package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.dedup.DuplicateDetector;
import ai.payable.pipelines.landing.LandingFile;
import ai.payable.pipelines.landing.LandingZone;
import ai.payable.pipelines.validate.SubmissionValidator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Ingests signed DataNet submissions from a landing zone: every new line ends in exactly one of
 * {@code records} or {@code quarantine}, with batch metrics in {@code ingest_batches}. Re-running
 * over the same files adds nothing; a run killed half way is rolled back by the next one.
 */
public final class SubmissionIngestJob {

  /** Landing kind recorded in {@code ingested_files}. */
  public static final String KIND = "submissions";

  private final Lakehouse lakehouse;
  private final Progress progress;

  public SubmissionIngestJob(Lakehouse lakehouse) {
    this(lakehouse, Progress.silent());
  }

  public SubmissionIngestJob(Lakehouse lakehouse, Progress progress) {
    this.lakehouse = lakehouse;
    this.progress = progress;
  }

  /** Ingests every new file under {@code landing}. */
  public IngestSummary run(URI landing) {
    progress.step("loading DataNet policies and rolling back interrupted batches");
    Map<String, DataNetPolicy> policies = new DataNetRegistry(lakehouse).load();
    if (policies.isEmpty()) {
      throw new IllegalStateException(
          "no DataNets are registered in " + lakehouse.root() + "; run `payable datanet register --file datanets.yaml` first");
    }
    BatchLedger ledger =
        new BatchLedger(lakehouse, KIND, "sub-", List.of(Tables.RECORDS, Tables.QUARANTINE, Tables.INGEST_BATCHES));
    int recovered = ledger.recover().size();
    progress.step("listing " + landing);
    List<LandingFile> listed = LandingZone.list(landing, lakehouse.spark().sparkContext().hadoopConfiguration());
    Set<String> known = ledger.ingestedPathSizes();
    List<LandingFile> fresh = listed.stream().filter(f -> !known.contains(f.path() + "\n" + f.size())).toList();
    if (fresh.isEmpty()) {
      progress.step("");
      return new IngestSummary(KIND, null, listed.size(), listed.size(), 0, 0, 0, 0, Map.of(), List.of(), recovered);
    }
    String batchId = batchId("sub-", fresh);
    Timestamp now = Timestamp.from(Instant.now());

    Dataset<Row> staged =
        LandingRead.stage(lakehouse.spark(), fresh, SubmissionStaging.SCHEMA, SubmissionStaging.stager(new SubmissionValidator(policies)));
    progress.step("reading and validating " + fresh.size() + " files");
    staged = withoutIngestedContent(staged, ledger.ingestedFiles()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // Materialise once: every later step reads these lines, and validation is the costly part.
      staged.count();
      progress.step("checking duplicates against the batch and the accepted records");
      Dataset<Row> existing = lakehouse.snapshot(Tables.RECORDS).select("record_id", "content_hash", "minhash");
      Map<String, Double> thresholds =
          policies.values().stream().collect(Collectors.toMap(DataNetPolicy::id, DataNetPolicy::nearDuplicateJaccard));
      Dataset<Row> marked =
          DuplicateDetector.mark(lakehouse.spark(), staged.where(size(col("reasons")).equalTo(0)), existing, thresholds)
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        marked.count();
        progress.step("writing records");
        Dataset<Row> accepted =
            marked.where(col("dup_reason").isNull())
                .withColumn("batch_id", lit(batchId))
                .withColumn("ingested_at", lit(now));
        IngestOutputs.append(lakehouse, Tables.RECORDS, accepted);

        progress.step("writing quarantine");
        Dataset<Row> rejected =
            staged.where(size(col("reasons")).gt(0)).withColumn("duplicate_of", lit(null).cast("string"));
        Dataset<Row> duplicates =
            marked.where(col("dup_reason").isNotNull())
                .withColumn("reasons", array(col("dup_reason")))
                .withColumn("detail", concat(col("dup_reason"), lit(": same content as record "), col("duplicate_of")));
        Dataset<Row> quarantined =
            rejected.unionByName(duplicates.drop("dup_reason"))
                .withColumn("kind", lit("submission"))
                .withColumn("batch_id", lit(batchId))
                .withColumn("quarantined_at", lit(now));
        IngestOutputs.append(lakehouse, Tables.QUARANTINE, quarantined);

        progress.step("writing batch metrics and committing");
        Dataset<Row> outcomes =
            rejected.select(col("datanet").as("group"), col("contributor").as("party"), col("reasons"))
                .unionByName(
                    marked.select(
                        col("datanet").as("group"),
                        col("contributor").as("party"),
                        org.apache.spark.sql.functions.expr("if(dup_reason IS NULL, array(), array(dup_reason))").as("reasons")));
        Dataset<Row> metrics = IngestOutputs.metrics(outcomes, batchId, KIND, now).persist();
        IngestOutputs.append(lakehouse, Tables.INGEST_BATCHES, metrics);
        List<Row> metricRows = metrics.collectAsList();
        metrics.unpersist();

        ledger.commit(IngestOutputs.files(lakehouse, staged, fresh, KIND, batchId, now));
        progress.step("");
        return IngestOutputs.summary(KIND, batchId, listed.size(), listed.size() - fresh.size(), fresh.size(), metricRows, recovered);
      } finally {
        marked.unpersist();
      }
    } finally {
      staged.unpersist();
    }
  }

  /** Drops lines of files whose exact content (path and checksum) was already ingested. */
  static Dataset<Row> withoutIngestedContent(Dataset<Row> staged, Set<String> ingested) {
    if (ingested.isEmpty()) {
      return staged;
    }
    List<Row> keys = ingested.stream().map(k -> org.apache.spark.sql.RowFactory.create((Object[]) k.split("\n", 2))).toList();
    Dataset<Row> done =
        staged.sparkSession().createDataFrame(keys,
            new org.apache.spark.sql.types.StructType().add("source_file", "string").add("file_sha256", "string"));
    return staged.join(done, staged.col("source_file").equalTo(done.col("source_file"))
        .and(staged.col("file_sha256").equalTo(done.col("file_sha256"))), "left_anti");
  }

  /** A batch id derived from the files it reads, so a re-run of the same files gets the same id. */
  static String batchId(String prefix, List<LandingFile> files) {
    String key = files.stream().map(f -> f.path() + "|" + f.size() + "|" + f.modifiedMillis()).sorted().collect(Collectors.joining("\n"));
    return prefix + Keccak.hex(key.getBytes(StandardCharsets.UTF_8)).substring(2, 18);
  }
}
