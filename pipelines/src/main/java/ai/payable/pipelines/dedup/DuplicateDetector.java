package ai.payable.pipelines.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.when;

import ai.payable.pipelines.validate.ContentFingerprint;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
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
  private static final String BUCKETS_UDF = "payable_lsh_buckets";

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
    // Near duplicates work on compact long keys: a batch line's key is its arrival (unique, and
    // ordered as the lines arrived); an accepted record gets a negative key, so it comes first.
    Column threshold = thresholdColumn(thresholds);
    Dataset<Row> survivors =
        exact.where(col("exact_of").isNull()).select(col("arrival").as("key"), col("minhash"), threshold.as("threshold"));
    Dataset<Row> accepted =
        existing.select(expr("-1 - pmod(xxhash64(record_id), 4611686018427387904)").as("key"), col("record_id"), col("minhash"));
    Dataset<Row> references = accepted.select("key", "minhash").unionByName(survivors.select("key", "minhash"));
    // One shuffle: each LSH bucket's keys, sorted (earliest first); a member is paired with the
    // earliest members before it. Buckets of one, the vast majority, yield nothing.
    Dataset<Row> buckets =
        bands(references)
            .groupBy("band", "bucket")
            .agg(org.apache.spark.sql.functions.sort_array(org.apache.spark.sql.functions.collect_list("key")).as("keys"))
            .where(org.apache.spark.sql.functions.size(col("keys")).gt(1));
    Dataset<Row> candidates =
        buckets.select(col("keys"), org.apache.spark.sql.functions.posexplode(col("keys")).as(new String[] {"pos", "key"}))
            .where(col("pos").gt(0).and(col("key").geq(0)))
            .select(col("key"), expr("explode(slice(keys, 1, least(pos, " + MAX_REFERENCES_PER_BUCKET + ")))").as("ref_key"))
            .distinct();
    Dataset<Row> nearestKey =
        candidates
            .join(survivors, "key")
            .join(references.select(col("key").as("h_key"), col("minhash").as("h_minhash")), col("ref_key").equalTo(col("h_key")))
            .where(expr(SIMILARITY_UDF + "(minhash, h_minhash)").geq(col("threshold")))
            .groupBy("key")
            .agg(min("ref_key").as("near_key"));
    Dataset<Row> idsByKey =
        accepted.select(col("key").as("id_key"), col("record_id").as("near_of"))
            .unionByName(exact.select(col("arrival").as("id_key"), col("record_id").as("near_of")));
    Dataset<Row> nearest =
        nearestKey.join(idsByKey, col("near_key").equalTo(col("id_key"))).select(col("key").as("near_line"), col("near_of"));

    return exact.join(nearest, col("arrival").equalTo(col("near_line")), "left")
        .withColumn(
            "dup_reason",
            when(col("exact_of").isNotNull(), lit("DUPLICATE"))
                .when(col("near_of").isNotNull(), lit("NEAR_DUPLICATE")))
        .withColumn("duplicate_of", expr("coalesce(exact_of, near_of)"))
        .drop("exact_of", "near_of", "near_line");
  }

  /** One row per (item, band) with the band's bucket hash; the signature itself stays behind. */
  private static Dataset<Row> bands(Dataset<Row> items) {
    return items.select(
        col("key"), org.apache.spark.sql.functions.posexplode(expr(BUCKETS_UDF + "(minhash)")).as(new String[] {"band", "bucket"}));
  }

  /** The bucket of each band: a 64-bit mix of the band's rows of the signature. */
  static long[] bucketsOf(scala.collection.Seq<Integer> minhash) {
    long[] out = new long[BANDS];
    for (int b = 0; b < BANDS; b++) {
      long h = 0x9E3779B97F4A7C15L * (b + 1);
      for (int r = 0; r < ROWS; r++) {
        h = Long.rotateLeft(h ^ (minhash.apply(b * ROWS + r) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
      }
      out[b] = h ^ (h >>> 29);
    }
    return out;
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
    org.apache.spark.sql.api.java.UDF1<scala.collection.Seq<Integer>, long[]> buckets = DuplicateDetector::bucketsOf;
    spark.udf().register(BUCKETS_UDF, buckets, DataTypes.createArrayType(DataTypes.LongType, false));
  }
}
