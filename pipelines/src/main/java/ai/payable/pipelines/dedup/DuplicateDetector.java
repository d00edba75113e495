package ai.payable.pipelines.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import ai.payable.core.catalog.QuarantineReason;
import ai.payable.pipelines.datanet.DataNetPolicy;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Batch-wide copy detection. The earliest copy wins: anything already in {@code records} beats the
 * batch, and within the batch the earlier arrival (file landing time, then line) wins. The
 * self-declared {@code createdAt} is not used for priority, since a copier could backdate it.
 *
 * <ol>
 *   <li>Exact: same normalised-content hash as an earlier record → {@code DUPLICATE}.
 *   <li>Near: records that share one of their {@value #ANCHORS} rarest shared shingles become
 *       candidates; each candidate is scored on the two records' full shingle sets by
 *       {@link ShingleFrequencies#similarity rarity-weighted containment}, and a score at or above
 *       the DataNet's threshold makes the later record a {@code NEAR_DUPLICATE} of the earliest
 *       such one.
 * </ol>
 *
 * <p>Why not MinHash LSH, as web-scale pipelines do: it estimates plain Jaccard similarity, which
 * cannot tell a copy with one word in ten changed from two distinct records of one template (both
 * share about 70% of their shingles), and misses a record pasted inside a longer one. Weighting
 * each shingle by how few records hold it separates the two (the copy keeps the record's rare
 * passages; the distinct record shares only boilerplate), and the rare shared shingles are also
 * the best candidate keys.
 *
 * <p>One bound remains, documented and counted: each record is compared with at most
 * {@value #MAX_REFERENCES_PER_ANCHOR} earliest holders of each anchor. It matters only where a
 * record's rarest shared shingles are held by dozens of earlier records; the pairs it skips are
 * returned per line in {@code copy_pairs_skipped} and reported in {@code ingest_batches}.
 */
public final class DuplicateDetector {

  /** Candidate keys per record: its rarest shingles that another record holds too. */
  static final int ANCHORS = 4;

  /** Earlier holders of one anchor a record is compared with. */
  static final int MAX_REFERENCES_PER_ANCHOR = 8;

  private DuplicateDetector() {}

  /**
   * Marks copies among {@code batch} (staged rows that passed every per-line check).
   *
   * @param existing {@code records} rows (record_id, content_hash, shingles)
   * @param thresholds near-duplicate similarity threshold per DataNet id
   * @return {@code batch} with {@code dup_reason}, {@code duplicate_of} and {@code similarity} (all
   *     null for records to accept) and {@code copy_pairs_skipped}
   */
  public static Dataset<Row> mark(SparkSession spark, Dataset<Row> batch, Dataset<Row> existing, Map<String, Double> thresholds) {
    return mark(spark, batch, existing, thresholds, true);
  }

  /** As {@link #mark(SparkSession, Dataset, Dataset, Map)}; {@code near=false} checks exact copies only. */
  public static Dataset<Row> mark(
      SparkSession spark, Dataset<Row> batch, Dataset<Row> existing, Map<String, Double> thresholds, boolean near) {
    // Verdicts are worked out on narrow rows (keys, hashes, shingles), checkpointed once, and
    // joined back to the wide batch (text, raw line) in one final join.
    Dataset<Row> known = existing.groupBy("content_hash").agg(min("record_id").as("existing_id"));
    Dataset<Row> lines = batch.select(col("arrival"), col("record_id"), col("content_hash"), col("datanet"), col("shingles"));
    Dataset<Row> firsts =
        lines.groupBy("content_hash")
            .agg(min_by(col("record_id"), col("arrival")).as("first_id"), min("arrival").as("first_arrival"));
    Dataset<Row> exact =
        lines.join(known, "content_hash", "left")
            .join(firsts, "content_hash", "left")
            .withColumn(
                "exact_of",
                when(col("existing_id").isNotNull(), col("existing_id"))
                    .when(col("arrival").gt(col("first_arrival")), col("first_id")))
            .drop("existing_id", "first_id", "first_arrival")
            .localCheckpoint();

    Dataset<Row> verdicts =
        near
            ? nearVerdicts(spark, exact, existing, thresholds)
            : exact.select(col("arrival").as("line"), col("exact_of"), lit(null).cast("string").as("near_of"), lit(null).cast("double").as("near_score"),
                lit(0L).as("skipped"));
    return batch.join(verdicts.select(col("line").as("arrival"), col("near_of"), col("near_score"), col("skipped"), col("exact_of")), "arrival", "left")
        .withColumn(
            "dup_reason",
            when(col("exact_of").isNotNull(), lit(QuarantineReason.DUPLICATE.name())).when(col("near_of").isNotNull(), lit(QuarantineReason.NEAR_DUPLICATE.name())))
        .withColumn("duplicate_of", expr("coalesce(exact_of, near_of)"))
        .withColumn("similarity", when(col("exact_of").isNotNull(), lit(1.0)).otherwise(col("near_score")))
        .withColumn("copy_pairs_skipped", expr("coalesce(skipped, 0L)"))
        .drop("exact_of", "near_of", "near_score", "skipped");
  }

  /** Per batch line: exact_of, and for the rest near_of, near_score and skipped (pairs over the bound). */
  private static Dataset<Row> nearVerdicts(SparkSession spark, Dataset<Row> exact, Dataset<Row> existing, Map<String, Double> thresholds) {
    // Compact long keys: a batch line's key is its arrival (unique, and ordered as the lines
    // arrived); an accepted record gets a negative key, so it comes first.
    Dataset<Row> accepted =
        existing.select(expr("-1 - pmod(xxhash64(record_id), 4611686018427387904)").as("key"), col("record_id"), col("shingles"));
    Dataset<Row> references =
        accepted.select(col("key"), col("shingles"), lit(null).cast("double").as("threshold"))
            .unionByName(exact.where(col("exact_of").isNull()).select(col("arrival").as("key"), col("shingles"), thresholdColumn(thresholds).as("threshold")))
            .localCheckpoint();
    Dataset<Row> survivors = references.where(col("threshold").isNotNull());

    Broadcast<ShingleFrequencies> frequencies =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(frequencies(references));
    UserDefinedFunction anchors =
        udf((UDF1<scala.collection.Seq<Long>, long[]>) s -> frequencies.value().anchors(longs(s), ANCHORS),
            DataTypes.createArrayType(DataTypes.LongType, false));
    UserDefinedFunction similarity =
        udf((UDF2<scala.collection.Seq<Long>, scala.collection.Seq<Long>, Double>) (a, b) -> frequencies.value().similarity(longs(a), longs(b)),
            DataTypes.DoubleType);

    // One shuffle: each anchor's holders, sorted (earliest first); a batch line is paired with the
    // earliest holders before it. Anchors held by one record only are never chosen.
    Dataset<Row> holders =
        references.select(col("key"), explode(anchors.apply(col("shingles"))).as("anchor"))
            .groupBy("anchor")
            .agg(sort_array(collect_list("key")).as("keys"))
            .where(size(col("keys")).gt(1))
            .select(col("keys"), posexplode(col("keys")).as(new String[] {"pos", "key"}))
            .where(col("pos").gt(0).and(col("key").geq(0)));
    Dataset<Row> skipped =
        holders.groupBy("key").agg(sum(greatest(col("pos").minus(MAX_REFERENCES_PER_ANCHOR), lit(0))).as("skipped"));
    Dataset<Row> nearest =
        holders.select(col("key"), expr("explode(slice(keys, 1, least(pos, " + MAX_REFERENCES_PER_ANCHOR + ")))").as("ref_key"))
            .distinct()
            .join(survivors.select("key", "shingles", "threshold"), "key")
            .join(references.select(col("key").as("ref_key"), col("shingles").as("ref_shingles")), "ref_key")
            .withColumn("score", similarity.apply(col("shingles"), col("ref_shingles")))
            .where(col("score").geq(col("threshold")))
            .groupBy("key")
            .agg(min(struct(col("ref_key"), col("score"))).as("nearest"))
            .select(col("key"), col("nearest.ref_key").as("near_key"), col("nearest.score").as("near_score"));
    Dataset<Row> idsByKey =
        accepted.select(col("key").as("near_key"), col("record_id").as("near_of"))
            .unionByName(exact.select(col("arrival").as("near_key"), col("record_id").as("near_of")));
    return exact.select(col("arrival").as("line"), col("exact_of"))
        .join(nearest.join(idsByKey, "near_key").select(col("key").as("line"), col("near_of"), col("near_score")), "line", "left")
        .join(skipped.select(col("key").as("line"), col("skipped")), "line", "left");
  }

  /** Counts, over the references, the records holding each shingle that two or more hold. */
  private static ShingleFrequencies frequencies(Dataset<Row> references) {
    long records = references.count();
    List<Row> shared =
        references.select(explode(col("shingles")).as("shingle"))
            .groupBy("shingle")
            .count()
            .where(col("count").geq(2))
            .orderBy("shingle")
            .collectAsList();
    long[] shingles = new long[shared.size()];
    int[] holders = new int[shared.size()];
    for (int i = 0; i < shingles.length; i++) {
      shingles[i] = shared.get(i).getLong(0);
      holders[i] = Math.toIntExact(shared.get(i).getLong(1));
    }
    return new ShingleFrequencies(records, shingles, holders);
  }

  private static long[] longs(scala.collection.Seq<Long> seq) {
    long[] out = new long[seq.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = seq.apply(i);
    }
    return out;
  }

  private static Column thresholdColumn(Map<String, Double> thresholds) {
    Column c = lit(DataNetPolicy.DEFAULT_NEAR_DUPLICATE_SIMILARITY);
    for (Map.Entry<String, Double> e : thresholds.entrySet()) {
      c = when(col("datanet").equalTo(e.getKey()), lit(e.getValue())).otherwise(c);
    }
    return c;
  }
}
