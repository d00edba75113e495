package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import ai.payable.core.catalog.IngestBatchRow;
import ai.payable.core.catalog.IngestOutcome;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.landing.LandingFile;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Writing what every ingest kind produces besides its accepted rows: quarantine rows, per-batch
 * metrics, and the {@code ingested_files} commit marker, plus the summary printed for people.
 */
final class IngestOutputs {

  private IngestOutputs() {}

  /**
   * The {@code ingest_batches} reason of lines whose copy check skipped candidate pairs (see
   * {@code DuplicateDetector.MAX_REFERENCES_PER_ANCHOR}).
   */
  static final String COPY_CHECK_BOUNDED = "COPY_CHECK_BOUNDED";

  /**
   * Metric rows of a batch from per-line outcomes ({@code group}, {@code party}, {@code reasons}:
   * empty for accepted lines): per group, party and outcome the line count under reason
   * {@link IngestBatchRow#ALL_REASONS}, and per reason the lines carrying it; with an optional
   * {@code skipped_checks} column, the lines whose copy check was bounded.
   */
  static Dataset<Row> metrics(Dataset<Row> outcomes, String batchId, String kind, Timestamp now) {
    Dataset<Row> o =
        outcomes.select(
            coalesce(col("group"), lit("")).as("datanet"),
            coalesce(col("party"), lit("")).as("contributor"),
            when(size(col("reasons")).equalTo(0), lit(IngestOutcome.ACCEPTED.value())).otherwise(lit(IngestOutcome.QUARANTINED.value())).as("outcome"),
            col("reasons"));
    Dataset<Row> totals =
        o.groupBy("datanet", "contributor", "outcome").agg(count(lit(1)).as("lines")).withColumn("reason", lit(IngestBatchRow.ALL_REASONS));
    Dataset<Row> perReason =
        o.where(size(col("reasons")).gt(0))
            .select(col("datanet"), col("contributor"), col("outcome"), explode(col("reasons")).as("reason"))
            .groupBy("datanet", "contributor", "outcome", "reason")
            .agg(count(lit(1)).as("lines"));
    Dataset<Row> all = totals.unionByName(perReason);
    if (java.util.Arrays.asList(outcomes.columns()).contains("skipped_checks")) {
      // Lines whose copy check hit its documented bound: counted, never silent.
      Dataset<Row> bounded =
          outcomes.where(col("skipped_checks").gt(0))
              .select(
                  coalesce(col("group"), lit("")).as("datanet"),
                  coalesce(col("party"), lit("")).as("contributor"),
                  when(size(col("reasons")).equalTo(0), lit(IngestOutcome.ACCEPTED.value())).otherwise(lit(IngestOutcome.QUARANTINED.value())).as("outcome"))
              .groupBy("datanet", "contributor", "outcome")
              .agg(count(lit(1)).as("lines"))
              .withColumn("reason", lit(COPY_CHECK_BOUNDED));
      all = all.unionByName(bounded);
    }
    return all
        .withColumn("batch_id", lit(batchId))
        .withColumn("kind", lit(kind))
        .withColumn("committed_at", lit(now));
  }

  /** {@code ingested_files} rows: each read file with its checksum and line count. */
  static Dataset<Row> files(Lakehouse lakehouse, Dataset<Row> staged, List<LandingFile> read, String kind, String batchId, Timestamp now) {
    Map<String, Row> perFile = new LinkedHashMap<>();
    for (Row r : staged.groupBy("source_file").agg(first("file_sha256").as("sha"), count(lit(1)).as("lines")).collectAsList()) {
      perFile.put(r.getString(0), r);
    }
    List<Row> rows = new ArrayList<>();
    for (LandingFile f : read) {
      Row r = perFile.get(f.path());
      // A file with no lines is empty: its checksum is that of zero bytes.
      String sha = r == null ? LandingRead.sha256(new byte[0]) : r.getString(1);
      long lines = r == null ? 0 : r.getLong(2);
      rows.add(RowFactory.create(f.path(), kind, f.size(), sha, lines, batchId, now));
    }
    return lakehouse.spark().createDataFrame(rows, Tables.INGESTED_FILES.schema());
  }

  /** Builds the summary of a committed batch from its metric rows. */
  static IngestSummary summary(
      String kind, String batchId, int listed, int skipped, int read, List<Row> metrics, int recovered) {
    long accepted = 0;
    long quarantined = 0;
    Map<String, Long> reasons = new TreeMap<>();
    Map<String, long[]> parties = new TreeMap<>();
    for (Row row : metrics) {
      IngestBatchRow m = IngestBatchRow.fromRow(row);
      long lines = m.lines();
      if (!m.isTotal()) {
        reasons.merge(m.reason(), lines, Long::sum);
        continue;
      }
      long[] counts = parties.computeIfAbsent(blank(m.datanet()) + "\n" + blank(m.contributor()), k -> new long[2]);
      if (m.outcome() == IngestOutcome.ACCEPTED) {
        accepted += lines;
        counts[0] += lines;
      } else {
        quarantined += lines;
        counts[1] += lines;
      }
    }
    List<IngestSummary.Breakdown> breakdown = new ArrayList<>();
    parties.forEach((k, v) -> {
      String[] parts = k.split("\n", 2);
      breakdown.add(new IngestSummary.Breakdown(parts[0], parts[1], v[0], v[1]));
    });
    return new IngestSummary(kind, batchId, listed, skipped, read, accepted + quarantined, accepted, quarantined, reasons, breakdown, recovered);
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
