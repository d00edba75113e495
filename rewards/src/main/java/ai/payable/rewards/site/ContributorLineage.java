package ai.payable.rewards.site;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.rewards.merkle.ProofShards;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Iterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Why each account was paid, up to an epoch: per epoch, what it earned (by role), the answers that
 * credited its records (question, an excerpt of the answer, the fee, and per record the method and
 * share) and those records (DataNet, first words, landing file and line). One small JSON file per
 * account, {@code accounts/<prefix>/<address>.json}, so that the claim page loads one person's
 * lineage and never everyone's. Read from {@code epoch_rewards}, {@code attributions}, {@code
 * inferences} and {@code records}.
 */
public final class ContributorLineage {

  /** The folder of the lineage files, beside the page. */
  public static final String FOLDER = "accounts";

  /** The most answers listed per account and epoch, those with the largest shares. */
  public static final int ANSWERS_PER_EPOCH = 25;

  private static final int ANSWER_EXCERPT = 240;
  private static final int FIRST_WORDS = 14;

  private final Lakehouse lakehouse;

  public ContributorLineage(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** Writes the lineage of every account rewarded up to {@code epoch} under {@code site}; returns how many files. */
  public long write(LocalDate epoch, int prefixLength, Path site) throws IOException {
    Column upTo = col("epoch").leq(lit(Date.valueOf(epoch)));
    Dataset<Row> earned = lakehouse.read(Tables.EPOCH_REWARDS).where(upTo)
        .withColumn("account", lower(col("account")))
        .groupBy("account", "epoch")
        .agg(sum("amount_wei").cast("string").as("earned"),
            map_from_entries(collect_list(struct(col("role"), col("amount_wei").cast("string")))).as("byRole"));

    Dataset<Row> credits = lakehouse.ensure(Tables.ATTRIBUTIONS).toDF().where(upTo.and(col("record_id").isNotNull()))
        .select(col("epoch"), lower(col("contributor")).as("account"), col("inference_id"), col("record_id"), col("method"), col("share"));
    Dataset<Row> questions = lakehouse.ensure(Tables.INFERENCES).toDF()
        .select(col("inference_id"), col("prompt").as("question"), when(length(col("output")).gt(ANSWER_EXCERPT), concat(substring(col("output"), 1, ANSWER_EXCERPT), lit("…")))
            .otherwise(col("output")).as("answer"),
            col("fee_wei").cast("string").as("fee"));
    Dataset<Row> perAnswer = credits.join(questions, "inference_id")
        .groupBy("account", "epoch", "inference_id", "question", "answer", "fee")
        .agg(sum("share").as("weight"),
            collect_list(struct(col("record_id").as("recordId"), col("method"), col("share"))).as("credits"));
    // The answers that credited the account most, first.
    Dataset<Row> answers = perAnswer
        .withColumn("rank", row_number().over(Window.partitionBy("account", "epoch").orderBy(desc("weight"), col("inference_id"))))
        .where(col("rank").leq(ANSWERS_PER_EPOCH))
        .groupBy("account", "epoch")
        .agg(sort_array(collect_list(struct(col("weight"), col("inference_id").as("inferenceId"), col("question"), col("answer"), col("fee"),
            col("credits"))), false).as("ranked"));

    Dataset<Row> records = lakehouse.read(Tables.RECORDS)
        .select(col("record_id"), col("datanet"), substring_index(col("text"), " ", FIRST_WORDS).as("firstWords"), col("source_file").as("landingFile"),
            col("line_no").as("line"));
    Dataset<Row> used = credits.select("account", "epoch", "record_id").distinct().join(records, "record_id")
        .groupBy("account", "epoch")
        .agg(map_from_entries(collect_list(struct(col("record_id"), struct(col("datanet"), col("firstWords"), col("landingFile"), col("line")))))
            .as("records"));

    Dataset<Row> perEpoch = earned.join(answers, new String[] {"account", "epoch"}, "left").join(used, new String[] {"account", "epoch"}, "left")
        .select(col("account"), struct(col("epoch"), col("earned"), col("byRole"),
            col("ranked").as("answers"), col("records")).as("e"));
    // Newest epoch first; maps cannot be ordered, so the comparator looks at the epoch only.
    Dataset<Row> files = perEpoch.groupBy("account")
        .agg(expr("array_sort(collect_list(e), (l, r) -> CASE WHEN l.epoch > r.epoch THEN -1 WHEN l.epoch < r.epoch THEN 1 ELSE 0 END)").as("epochs"))
        .select(col("account"), to_json(struct(col("account"), col("epochs"))).as("json"));

    Path folder = Files.createDirectories(site.resolve(FOLDER));
    long written = 0;
    Iterator<Row> it = files.toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      Address account = Address.parse(r.getString(0));
      Path file = Files.createDirectories(folder.resolve(ProofShards.shardOf(account, prefixLength))).resolve(account.value() + ".json");
      Files.writeString(file, r.getString(1), StandardCharsets.UTF_8);
      written++;
    }
    return written;
  }
}
