package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import ai.payable.core.catalog.LandingKind;
import ai.payable.core.catalog.QuarantineReason;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.validate.InferenceValidator;
import java.net.URI;
import java.util.HashSet;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Ingests inference logs into {@code inferences}, partitioned by epoch. An {@code inference_id} is
 * paid for once: a repeated id is quarantined as {@code DUPLICATE}, the earliest line winning.
 *
 * <p>A line's epoch is the UTC day of its {@code ts}, unless that day was attributed already (an
 * epoch at or before the latest in {@code epoch_rewards}): such a late line goes to the day after
 * the latest attributed one, the first epoch still open, and is paid there. Its {@code ts} is kept.
 * So no line is ever ignored for arriving after its day was paid, and a paid epoch never changes.
 */
public final class InferenceIngestJob {

  private static final LandingIngest.Kind LANDING = new LandingIngest.Kind(LandingKind.INFERENCES, Tables.INFERENCES, InferenceStaging.SCHEMA);

  private final Lakehouse lakehouse;
  private final Progress progress;

  public InferenceIngestJob(Lakehouse lakehouse) {
    this(lakehouse, Progress.silent());
  }

  public InferenceIngestJob(Lakehouse lakehouse, Progress progress) {
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
    InferenceValidator validator = new InferenceValidator(registeredModels());
    return new LandingIngest(lakehouse, progress, LANDING).run(landing, InferenceStaging.stager(validator), this::decide);
  }

  private LandingIngest.Decision decide(Dataset<Row> staged) {
    progress.step("checking inference ids against the batch and the logged inferences");
    Dataset<Row> valid = staged.where(size(col("reasons")).equalTo(0));
    Dataset<Row> existing =
        lakehouse.snapshot(Tables.INFERENCES).select(col("inference_id").as("existing_id")).distinct();
    Dataset<Row> firsts = valid.groupBy("inference_id").agg(min("arrival").as("first_arrival"));
    Dataset<Row> marked =
        valid.join(existing, valid.col("inference_id").equalTo(existing.col("existing_id")), "left")
            .join(firsts, "inference_id")
            .withColumn("dup", col("existing_id").isNotNull().or(col("arrival").gt(col("first_arrival"))))
            .drop("existing_id", "first_arrival")
            .persist(StorageLevel.MEMORY_AND_DISK());
    marked.count();
    Dataset<Row> rejected = staged.where(size(col("reasons")).gt(0)).withColumn("duplicate_of", lit(null).cast("string"));
    Dataset<Row> duplicates =
        marked.where(col("dup"))
            .withColumn("reasons", array(lit(QuarantineReason.DUPLICATE.name())))
            .withColumn("detail", concat(lit(QuarantineReason.DUPLICATE.name() + ": inference_id "), col("inference_id"), lit(" was already logged")))
            .withColumn("duplicate_of", col("inference_id"))
            .drop("dup");
    Dataset<Row> quarantined =
        rejected.unionByName(duplicates)
            .withColumn("datanet", lit(null).cast("string"))
            .withColumn("contributor", col("requester"))
            .withColumn("record_id", lit(null).cast("string"));
    Dataset<Row> outcomes =
        rejected.select(col("model_id").as("group"), col("requester").as("party"), col("reasons"))
            .unionByName(
                marked.select(
                    col("model_id").as("group"),
                    col("requester").as("party"),
                    when(col("dup"), array(lit(QuarantineReason.DUPLICATE.name()))).otherwise(array().cast("array<string>")).as("reasons")));
    Column epoch = to_date(col("ts"));
    Optional<LocalDate> watermark = lastAttributedEpoch();
    if (watermark.isPresent()) {
      Column open = lit(Date.valueOf(watermark.get().plusDays(1)));
      epoch = when(epoch.lt(open), open).otherwise(epoch);
    }
    return new LandingIngest.Decision(marked.where(col("dup").equalTo(false)).withColumn("epoch", epoch), quarantined, outcomes, marked::unpersist);
  }

  /** The latest epoch attribution has paid, the watermark below which no epoch takes new answers. */
  private Optional<LocalDate> lastAttributedEpoch() {
    if (!lakehouse.exists(Tables.EPOCH_REWARDS)) {
      return Optional.empty();
    }
    Row latest = lakehouse.read(Tables.EPOCH_REWARDS).agg(max("epoch")).head();
    return latest.isNullAt(0) ? Optional.empty() : Optional.of(latest.getDate(0).toLocalDate());
  }

  /** Model ids of the registry ({@code models} table) once training has written one. */
  private Optional<Set<String>> registeredModels() {
    if (!lakehouse.exists(Tables.MODELS)) {
      return Optional.empty();
    }
    Set<String> ids = new HashSet<>();
    lakehouse.read(Tables.MODELS).select("model_id").distinct().collectAsList()
        .forEach(r -> ids.add(r.getString(0)));
    return ids.isEmpty() ? Optional.empty() : Optional.of(ids);
  }
}
