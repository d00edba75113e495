package ai.payable.pipelines.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import ai.payable.pipelines.validate.ContentFingerprint;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Batch-wide duplicate detection. The earliest copy wins: anything already in {@code records}
 * beats the batch, and within the batch the earlier arrival (file landing time, then line) wins.
 * The self-declared {@code createdAt} is not used for priority, since a copier could backdate it.
 *
 * <ol>
 *   <li>Exact: same normalised-content hash as an earlier record → {@code DUPLICATE}.
 *   <li>Near: MinHash LSH banding ({@value #BANDS} bands of {@value #ROWS} rows) proposes
 *       candidates; a candidate whose estimated Jaccard similarity reaches the DataNet's threshold
 *       makes the later record a {@code NEAR_DUPLICATE} of the earliest such one.
 * </ol>
 *
 * With 20 bands of 6 rows (120 of the 128 permutations) a pair at Jaccard 0.8 becomes a candidate
 * with probability 1-(1-0.8⁶)²⁰ = 0.998, at 0.7 with 0.92, while a pair at 0.3 does so with only
 * 0.015: few false candidates even in template-heavy DataNets, where shared boilerplate makes many
 * minimum hashes collide. Each LSH bucket offers at most {@value #MAX_REFERENCES_PER_BUCKET}
 * earliest members as references, which bounds the candidate pairs of boilerplate buckets to
 * linear in the batch size.
 */
public final class DuplicateDetector {

  static final int BANDS = 20;
  static final int ROWS = 6;
  static final int MAX_REFERENCES_PER_BUCKET = 16;
  private static final String SIMILARITY_UDF = "payable_minhash_similarity";

  private DuplicateDetector() {}

  /**
   * Marks duplicates among {@code batch} (staged rows that passed every per-line check).
   *
   * @param existing {@code records} rows (record_id, content_hash, minhash)
   * @param thresholds near-duplicate Jaccard threshold per DataNet id
   * @return {@code batch} with {@code dup_reason} and {@code duplicate_of}, both null for
   *     records to accept
   */
  public static Dataset<Row> mark(SparkSession spark, Dataset<Row> batch, Dataset<Row> existing, Map<String, Double> thresholds) {
    return mark(spark, batch, existing, thresholds, true);
  }

  /** As {@link #mark(SparkSession, Dataset, Dataset, Map)}; {@code near=false} checks exact copies only. */
  public static Dataset<Row> mark(
      SparkSession spark, Dataset<Row> batch, Dataset<Row> existing, Map<String, Double> thresholds, boolean near) {
    registerSimilarity(spark);
    Dataset<Row> known =
        existing.groupBy("content_hash").agg(min("record_id").as("existing_id"));
    Dataset<Row> firsts =
        batch.groupBy("content_hash")
            .agg(
                min_by(col("record_id"), col("arrival")).as("first_id"),
                min("arrival").as("first_arrival"));
    Dataset<Row> exact =
        batch.join(known, "content_hash", "left")
            .join(firsts, "content_hash", "left")
            .withColumn(
                "exact_of",
                when(col("existing_id").isNotNull(), col("existing_id"))
                    .when(col("arrival").gt(col("first_arrival")), col("first_id")))
            .drop("existing_id", "first_id", "first_arrival");

    if (!near) {
      return exact.withColumn("dup_reason", when(col("exact_of").isNotNull(), lit("DUPLICATE")))
          .withColumnRenamed("exact_of", "duplicate_of");
    }
    Column threshold = thresholdColumn(thresholds);
    Dataset<Row> survivors =
        exact.where(col("exact_of").isNull())
            .select(col("record_id").as("id"), col("arrival"), col("minhash"), threshold.as("threshold"));
    Dataset<Row> references =
        existing.select(col("record_id").as("id"), lit(-1L).as("arrival"), col("minhash"), lit(null).cast(DataTypes.DoubleType).as("threshold"))
            .unionByName(survivors);
    Dataset<Row> bands = bands(references);
    Dataset<Row> refs =
        bands.withColumn(
                "rn", row_number().over(Window.partitionBy("band", "bucket").orderBy("arrival", "id")))
            .where(col("rn").leq(MAX_REFERENCES_PER_BUCKET))
            .select(col("band").as("ref_band"), col("bucket").as("ref_bucket"), col("id").as("ref_id"), col("arrival").as("ref_arrival"));
    // Distinct column names: refs derives from bands, so bands.col("band") would equal itself.
    Dataset<Row> candidates =
        bands.where(col("arrival").geq(0))
            .join(refs, col("band").equalTo(col("ref_band"))
                .and(col("bucket").equalTo(col("ref_bucket")))
                .and(col("ref_arrival").lt(col("arrival"))))
            .select(col("id"), col("ref_id"), col("ref_arrival"))
            .distinct();
    Dataset<Row> hashes = references.select(col("id").as("h_id"), col("minhash").as("h_minhash"));
    Dataset<Row> nearest =
        candidates
            .join(survivors.select(col("id"), col("minhash"), col("threshold")), "id")
            .join(hashes, col("ref_id").equalTo(col("h_id")))
            .withColumn("similarity", expr(SIMILARITY_UDF + "(minhash, h_minhash)"))
            .where(col("similarity").geq(col("threshold")))
            .groupBy("id")
            .agg(min_by(col("ref_id"), struct(col("ref_arrival"), col("ref_id"))).as("near_of"));

    return exact.join(nearest, exact.col("record_id").equalTo(nearest.col("id")), "left")
        .withColumn(
            "dup_reason",
            when(col("exact_of").isNotNull(), lit("DUPLICATE"))
                .when(col("near_of").isNotNull(), lit("NEAR_DUPLICATE")))
        .withColumn("duplicate_of", expr("coalesce(exact_of, near_of)"))
        .drop("exact_of", "near_of", "id");
  }

  /** One row per (item, band) with the band's bucket hash; the signature itself stays behind. */
  private static Dataset<Row> bands(Dataset<Row> items) {
    Column buckets =
        expr("transform(sequence(0, " + (BANDS - 1) + "), b -> xxhash64(b, slice(minhash, b * " + ROWS + " + 1, " + ROWS + ")))");
    return items.select(col("id"), col("arrival"), org.apache.spark.sql.functions.posexplode(buckets).as(new String[] {"band", "bucket"}));
  }

  private static Column thresholdColumn(Map<String, Double> thresholds) {
    Column c = lit(ai.payable.pipelines.datanet.DataNetPolicy.DEFAULT_NEAR_DUPLICATE_JACCARD);
    for (Map.Entry<String, Double> e : thresholds.entrySet()) {
      c = when(col("datanet").equalTo(e.getKey()), lit(e.getValue())).otherwise(c);
    }
    return c;
  }

  private static void registerSimilarity(SparkSession spark) {
    UDF2<scala.collection.Seq<Integer>, scala.collection.Seq<Integer>, Double> similarity =
        (a, b) -> {
          int[] x = new int[a.size()];
          int[] y = new int[b.size()];
          for (int i = 0; i < x.length; i++) {
            x[i] = a.apply(i);
            y[i] = b.apply(i);
          }
          return ContentFingerprint.similarity(x, y);
        };
    spark.udf().register(SIMILARITY_UDF, similarity, DataTypes.DoubleType);
  }
}
