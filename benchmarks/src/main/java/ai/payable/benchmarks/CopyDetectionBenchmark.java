package ai.payable.benchmarks;

import static org.apache.spark.sql.functions.col;

import ai.payable.core.config.PayableConfig;
import ai.payable.core.lakehouse.SparkSessions;
import ai.payable.pipelines.dedup.DuplicateDetector;
import ai.payable.pipelines.sample.CopyCorpus;
import ai.payable.pipelines.sample.LightEdits;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Copy detection measured: recall per edit kind and rate, and the share of distinct records
 * flagged, on {@link CopyCorpus} (template-built sample records and light-edited copies), at each
 * threshold given; the time of exact + near detection against exact only, in the same run.
 *
 * <p>Usage: {@code benchmarks/run copies [--distinct 3000] [--copies 100] [--thresholds 0.6,0.7]}
 */
public final class CopyDetectionBenchmark {

  private CopyDetectionBenchmark() {}

  public static void main(String[] args) {
    int distinct = Args.intArg(args, "--distinct", 3000);
    int copies = Args.intArg(args, "--copies", 100);
    double[] thresholds =
        java.util.Arrays.stream(Args.stringArg(args, "--thresholds", "0.6,0.65,0.7,0.75,0.8").split(",")).mapToDouble(Double::parseDouble).toArray();
    double[] rates = {0.02, 0.05, 0.10, 0.20};
    SparkSession spark = SparkSessions.getOrCreate(PayableConfig.from(Path.of("build/bench/copies").toAbsolutePath().toString(), Map.of()));
    spark.sparkContext().setLogLevel("WARN");

    long t = System.nanoTime();
    List<CopyCorpus.Entry> corpus = CopyCorpus.generate(distinct, copies, rates, 2026);
    Dataset<Row> rows = CopyCorpus.toRows(spark, corpus).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> none = rows.limit(0).select(col("record_id"), col("content_hash"), col("shingles"));
    System.out.printf(Locale.ROOT, "corpus: %d distinct records, %d copies (%.1f s)%n", 3L * distinct, corpus.size() - 3L * distinct, seconds(t));
    rows.count();

    for (double threshold : thresholds) {
      Map<String, Double> perDataNet = Map.of("dermatology", threshold, "contracts", threshold, "agronomy", threshold);
      long start = System.nanoTime();
      List<Row> flagged =
          DuplicateDetector.mark(spark, rows, none, perDataNet)
              .where(col("dup_reason").isNotNull())
              .select("record_id", "duplicate_of", "similarity", "copy_pairs_skipped")
              .collectAsList();
      double nearSeconds = seconds(start);
      start = System.nanoTime();
      DuplicateDetector.mark(spark, rows, none, perDataNet, false)
          .write().format("noop").mode("overwrite").save();
      double exactSeconds = seconds(start);
      Map<String, String> flaggedAs = new HashMap<>();
      for (Row r : flagged) {
        flaggedAs.put(r.getString(0), r.getString(1));
      }
      System.out.printf(Locale.ROOT, "%nthreshold %.2f: exact + near %.1f s, exact only %.1f s (%.1f×)%n", threshold, nearSeconds, exactSeconds,
          nearSeconds / exactSeconds);
      Map<String, long[]> cases = new LinkedHashMap<>();
      long distinctFlagged = 0;
      for (CopyCorpus.Entry e : corpus) {
        if (e.originalOf() == null) {
          distinctFlagged += flaggedAs.containsKey(e.id()) ? 1 : 0;
          continue;
        }
        String key = e.kind() + (e.kind().usesRate() ? String.format(Locale.ROOT, " %2.0f%%", e.rate() * 100) : "");
        long[] c = cases.computeIfAbsent(key, k -> new long[2]);
        c[0]++;
        c[1] += e.originalOf().equals(flaggedAs.get(e.id())) ? 1 : 0;
      }
      long upTo10 = 0;
      long upTo10Caught = 0;
      for (Map.Entry<String, long[]> c : cases.entrySet()) {
        System.out.printf(Locale.ROOT, "  %-26s %4d/%-4d caught (%5.1f%%)%n", c.getKey(), c.getValue()[1], c.getValue()[0], 100.0 * c.getValue()[1] / c.getValue()[0]);
        if (!c.getKey().endsWith("20%")) {
          upTo10 += c.getValue()[0];
          upTo10Caught += c.getValue()[1];
        }
      }
      System.out.printf(Locale.ROOT, "RESULT threshold=%.2f copies_upto_10pct_recall=%.3f distinct_flagged=%d/%d (%.3f%%) near_s=%.1f exact_s=%.1f%n",
          threshold, (double) upTo10Caught / upTo10, distinctFlagged, 3L * distinct, 100.0 * distinctFlagged / (3.0 * distinct), nearSeconds, exactSeconds);
    }
    rows.unpersist();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
