package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.landing.LandingFile;
import ai.payable.pipelines.landing.LandingZone;
import ai.payable.pipelines.validate.InferenceValidator;
import io.delta.tables.DeltaTable;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Ingests inference logs into {@code inferences} (partitioned by epoch, the UTC day of the
 * answer). An {@code inference_id} is paid for once: a repeated id is quarantined as
 * {@code DUPLICATE}, the earliest line winning.
 */
public final class InferenceIngestJob {

  /** Landing kind recorded in {@code ingested_files}. */
  public static final String KIND = "inferences";

  private final Lakehouse lakehouse;

  public InferenceIngestJob(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** Ingests every new file under {@code landing}. */
  public IngestSummary run(URI landing) {
    BatchLedger ledger =
        new BatchLedger(lakehouse, KIND, "inf-", List.of(Tables.INFERENCES, Tables.QUARANTINE, Tables.INGEST_BATCHES));
    int recovered = ledger.recover().size();
    List<LandingFile> listed = LandingZone.list(landing, lakehouse.spark().sparkContext().hadoopConfiguration());
    Set<String> known = ledger.ingestedPathSizes();
    List<LandingFile> fresh = listed.stream().filter(f -> !known.contains(f.path() + "\n" + f.size())).toList();
    if (fresh.isEmpty()) {
      return new IngestSummary(KIND, null, listed.size(), listed.size(), 0, 0, 0, 0, Map.of(), List.of(), recovered);
    }
    String batchId = SubmissionIngestJob.batchId("inf-", fresh);
    Timestamp now = Timestamp.from(Instant.now());
    InferenceValidator validator = new InferenceValidator(registeredModels());
    Dataset<Row> staged =
        SubmissionIngestJob.withoutIngestedContent(
                LandingRead.stage(lakehouse.spark(), fresh, InferenceStaging.SCHEMA, InferenceStaging.stager(validator)),
                ledger.ingestedFiles())
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
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
      try {
        Dataset<Row> accepted =
            marked.where(col("dup").equalTo(false))
                .withColumn("epoch", to_date(col("ts")))
                .withColumn("batch_id", lit(batchId))
                .withColumn("ingested_at", lit(now));
        IngestOutputs.append(lakehouse, Tables.INFERENCES, accepted);

        Dataset<Row> rejected = staged.where(size(col("reasons")).gt(0));
        Dataset<Row> duplicates =
            marked.where(col("dup"))
                .withColumn("reasons", array(lit("DUPLICATE")))
                .withColumn("detail", concat(lit("DUPLICATE: inference_id "), col("inference_id"), lit(" was already logged")));
        Dataset<Row> quarantineRows =
            rejected.unionByName(duplicates.drop("dup"))
                .withColumn("duplicate_of", when(size(col("reasons")).equalTo(1).and(col("reasons").getItem(0).equalTo("DUPLICATE")), col("inference_id")))
                .withColumn("kind", lit("inference"))
                .withColumn("datanet", lit(null).cast("string"))
                .withColumn("contributor", col("requester"))
                .withColumn("record_id", lit(null).cast("string"))
                .withColumn("batch_id", lit(batchId))
                .withColumn("quarantined_at", lit(now));
        IngestOutputs.append(lakehouse, Tables.QUARANTINE, quarantineRows);

        Dataset<Row> outcomes =
            rejected.select(col("model_id").as("group"), col("requester").as("party"), col("reasons"))
                .unionByName(
                    marked.select(
                        col("model_id").as("group"),
                        col("requester").as("party"),
                        org.apache.spark.sql.functions.expr("if(dup, array('DUPLICATE'), array())").as("reasons")));
        Dataset<Row> metrics = IngestOutputs.metrics(outcomes, batchId, KIND, now).persist();
        IngestOutputs.append(lakehouse, Tables.INGEST_BATCHES, metrics);
        List<Row> metricRows = metrics.collectAsList();
        metrics.unpersist();

        ledger.commit(IngestOutputs.files(lakehouse, staged, fresh, KIND, batchId, now));
        return IngestOutputs.summary(KIND, batchId, listed.size(), listed.size() - fresh.size(), fresh.size(), metricRows, recovered);
      } finally {
        marked.unpersist();
      }
    } finally {
      staged.unpersist();
    }
  }

  /** Model ids of the registry ({@code models} table) once training has written one. */
  private Optional<Set<String>> registeredModels() {
    String path = lakehouse.root().toString() + "/models";
    if (!DeltaTable.isDeltaTable(lakehouse.spark(), path)) {
      return Optional.empty();
    }
    Set<String> ids = new HashSet<>();
    lakehouse.spark().read().format("delta").load(path).select("model_id").distinct().collectAsList()
        .forEach(r -> ids.add(r.getString(0)));
    return ids.isEmpty() ? Optional.empty() : Optional.of(ids);
  }
}
