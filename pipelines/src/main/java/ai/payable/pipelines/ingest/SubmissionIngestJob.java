package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import ai.payable.core.catalog.LandingKind;
import ai.payable.core.catalog.QuarantineReason;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.stage.MissingInputException;
import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.dedup.DuplicateDetector;
import ai.payable.pipelines.validate.SubmissionValidator;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Ingests signed DataNet submissions from a landing zone: every new line ends in exactly one of
 * {@code records} or {@code quarantine}, with batch metrics in {@code ingest_batches}. Re-running
 * over the same files adds nothing; a run killed half way is rolled back by the next one.
 */
public final class SubmissionIngestJob {

  private static final LandingIngest.Kind LANDING = new LandingIngest.Kind(LandingKind.SUBMISSIONS, Tables.RECORDS, SubmissionStaging.SCHEMA);

  private final Lakehouse lakehouse;
  private final Progress progress;

  public SubmissionIngestJob(Lakehouse lakehouse) {
    this(lakehouse, Progress.silent());
  }

  public SubmissionIngestJob(Lakehouse lakehouse, Progress progress) {
    this.lakehouse = lakehouse;
    this.progress = progress;
  }

  /**
   * The summary of a run when nothing under {@code landing} is new, decided from file listings
   * without starting Spark (see {@link LandingCheckpoint}); empty when a full run is needed.
   */
  public static Optional<IngestSummary> nothingNew(URI lakehouse, URI landing, Configuration hadoop) {
    return LandingCheckpoint.nothingNew(lakehouse, LANDING, landing, hadoop);
  }

  /** Ingests every new file under {@code landing}. */
  public IngestSummary run(URI landing) {
    progress.step("loading DataNet policies");
    Map<String, DataNetPolicy> policies = new DataNetRegistry(lakehouse).load();
    if (policies.isEmpty()) {
      throw new MissingInputException("no DataNets are registered in " + lakehouse.root(), MissingInputException.Remedy.REGISTER_DATANETS);
    }
    Map<String, Double> thresholds =
        policies.values().stream().collect(Collectors.toMap(DataNetPolicy::id, DataNetPolicy::nearDuplicateSimilarity));
    return new LandingIngest(lakehouse, progress, LANDING)
        .run(landing, SubmissionStaging.stager(new SubmissionValidator(policies)), staged -> decide(staged, thresholds));
  }

  private LandingIngest.Decision decide(Dataset<Row> staged, Map<String, Double> thresholds) {
    progress.step("checking duplicates against the batch and the accepted records");
    Dataset<Row> existing = lakehouse.snapshot(Tables.RECORDS).select("record_id", "content_hash", "shingles");
    Dataset<Row> marked =
        DuplicateDetector.mark(lakehouse.spark(), staged.where(size(col("reasons")).equalTo(0)), existing, thresholds)
            .persist(StorageLevel.MEMORY_AND_DISK());
    marked.count();
    Dataset<Row> rejected =
        staged.where(size(col("reasons")).gt(0)).withColumn("duplicate_of", lit(null).cast("string"));
    Dataset<Row> duplicates =
        marked.where(col("dup_reason").isNotNull())
            .withColumn("reasons", array(col("dup_reason")))
            .withColumn(
                "detail",
                when(col("dup_reason").equalTo(QuarantineReason.DUPLICATE.name()),
                        concat(lit(QuarantineReason.DUPLICATE.name() + ": same content as record "), col("duplicate_of")))
                    .otherwise(concat(lit(QuarantineReason.NEAR_DUPLICATE.name() + ": copy of record "), col("duplicate_of"), lit(" (similarity "),
                        format_number(col("similarity"), 2), lit(")"))))
            .drop("dup_reason", "similarity", "copy_pairs_skipped");
    Dataset<Row> outcomes =
        rejected.select(col("datanet").as("group"), col("contributor").as("party"), col("reasons"), lit(0L).as("skipped_checks"))
            .unionByName(
                marked.select(
                    col("datanet").as("group"),
                    col("contributor").as("party"),
                    expr("if(dup_reason IS NULL, array(), array(dup_reason))").as("reasons"),
                    col("copy_pairs_skipped").as("skipped_checks")));
    return new LandingIngest.Decision(
        marked.where(col("dup_reason").isNull()).drop("similarity", "copy_pairs_skipped"), rejected.unionByName(duplicates), outcomes, marked::unpersist);
  }
}
