package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import ai.payable.core.catalog.LandingKind;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.QuarantineReason;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.gateway.GatewayRegistry;
import ai.payable.pipelines.validate.InferenceValidator;
import java.net.URI;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashSet;
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
    Optional<Set<String>> models = registeredModels();
    InferenceValidator validator = new InferenceValidator(models, new GatewayRegistry(lakehouse).addresses());
    return new LandingIngest(lakehouse, progress, LANDING).run(landing, InferenceStaging.stager(validator), staged -> decide(staged, models.isPresent()));
  }

  /** @param registry whether the model registry has models, against which adapters and retrieved records are checked */
  private LandingIngest.Decision decide(Dataset<Row> signedAndParsed, boolean registry) {
    Dataset<Row> staged = signedAndParsed;
    if (registry) {
      progress.step("checking adapters and retrieved records against the registry and the records");
      staged = withRegistryChecks(signedAndParsed);
    }
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

  /**
   * Lines whose adapter is not an adapter of their model ({@code UNKNOWN_ADAPTER}), or that name a
   * retrieved record that is not an accepted record of the adapter's DataNets ({@code
   * FOREIGN_RECORD}, any accepted record for the bare base), are moved to quarantine: a gateway
   * cannot credit records its answer could not have used. Checked once the model registry exists.
   */
  private Dataset<Row> withRegistryChecks(Dataset<Row> staged) {
    Dataset<Row> adapters = lakehouse.read(Tables.MODELS).where(col("kind").equalTo(ModelKind.ADAPTER.value()))
        .select(col("model_id").as("a_id"), col("parent_id").as("a_parent"), col("datanets").as("a_datanets"));
    Dataset<Row> records = lakehouse.read(Tables.RECORDS).select(col("record_id").as("r_id"), col("datanet").as("r_datanet"));
    Dataset<Row> valid = staged.where(size(col("reasons")).equalTo(0))
        .join(adapters, col("adapter_id").equalTo(col("a_id")), "left");
    Dataset<Row> foreign = valid.select(col("arrival").as("f_arrival"), col("a_datanets"), explode(col("retrieved")).as("item"))
        .join(records, col("item.record_id").equalTo(col("r_id")), "left")
        .where(col("r_id").isNull().or(col("a_datanets").isNotNull().and(not(array_contains(col("a_datanets"), col("r_datanet"))))))
        .groupBy("f_arrival").agg(first(col("item.record_id")).as("f_record"));
    Column unknownAdapter = col("adapter_id").isNotNull().and(col("a_id").isNull().or(not(col("a_parent").equalTo(col("model_id")))));
    Dataset<Row> checked = valid.join(foreign, col("arrival").equalTo(col("f_arrival")), "left")
        .withColumn("reasons", when(unknownAdapter, array(lit(QuarantineReason.UNKNOWN_ADAPTER.name())))
            .when(col("f_record").isNotNull(), array(lit(QuarantineReason.FOREIGN_RECORD.name()))).otherwise(col("reasons")))
        .withColumn("detail", when(unknownAdapter, concat(lit(QuarantineReason.UNKNOWN_ADAPTER.name() + ": adapter '"), col("adapter_id"),
                lit("' is not a registered adapter of model '"), col("model_id"), lit("'")))
            .when(col("f_record").isNotNull(), concat(lit(QuarantineReason.FOREIGN_RECORD.name() + ": retrieved record "), col("f_record"),
                lit(" is not an accepted record of the DataNets the answering adapter serves")))
            .otherwise(col("detail")))
        .drop("a_id", "a_parent", "a_datanets", "f_arrival", "f_record");
    return checked.unionByName(staged.where(size(col("reasons")).gt(0)));
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
