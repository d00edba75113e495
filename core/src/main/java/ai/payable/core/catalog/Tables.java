package ai.payable.core.catalog;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createDecimalType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Every Delta table of the lakehouse, with its schema. This is the contract between stages: a
 * stage reads and writes these tables and nothing else of another stage.
 */
public final class Tables {

  /** Integer wei: never floating point. */
  public static final DecimalType WEI = createDecimalType(38, 0);

  private Tables() {}

  /**
   * The columns ingestion adds to every accepted landing line: the file and line it came from, the
   * batch that committed it and when.
   */
  public static final Set<String> INGEST_LINEAGE = Set.of("source_file", "line_no", "batch_id", "ingested_at");

  /** A DataNet and its acceptance policy. */
  public static final TableDef DATANETS =
      new TableDef(
          "datanets",
          schema(
              req("datanet_id", StringType),
              req("domain", StringType),
              req("licenses", createArrayType(StringType, false)),
              req("languages", createArrayType(StringType, false)),
              req("pii_policy", StringType),
              req("min_words", IntegerType),
              req("max_chars", IntegerType),
              req("near_duplicate_similarity", DoubleType),
              // Gopher rule thresholds by policy key (QualityRule): a rule added later needs no new column.
              req("quality_thresholds", createMapType(StringType, DoubleType, false)),
              req("registered_at", TimestampType)),
          List.of(),
          "DataNets and their acceptance policies");

  /**
   * The gateways whose inference logs are paid: each signs its log lines with the key of {@code
   * address} (EIP-712), and ingestion quarantines lines no registered gateway signed.
   */
  public static final TableDef GATEWAYS =
      new TableDef(
          "gateways",
          schema(
              req("gateway_id", StringType),
              req("address", StringType),
              req("description", StringType),
              req("registered_at", TimestampType)),
          List.of(),
          "serving gateways whose signed inference logs are paid");

  /** A landing file that has been processed; the commit marker of an ingest batch. */
  public static final TableDef INGESTED_FILES =
      new TableDef(
          "ingested_files",
          schema(
              req("path", StringType),
              req("kind", StringType),
              req("size_bytes", LongType),
              req("sha256", StringType),
              req("lines", LongType),
              req("batch_id", StringType),
              req("ingested_at", TimestampType)),
          List.of(),
          "landing files already ingested (path, checksum, batch)");

  /** An accepted DataNet record. */
  public static final TableDef RECORDS =
      new TableDef(
          "records",
          schema(
              req("record_id", StringType),
              req("datanet", StringType),
              req("contributor", StringType),
              req("license", StringType),
              req("kind", StringType),
              req("prompt", StringType),
              req("completion", StringType),
              req("text", StringType),
              req("created_at", TimestampType),
              req("language", StringType),
              req("pii_redacted", BooleanType),
              req("word_count", IntegerType),
              req("mean_word_length", DoubleType),
              req("symbol_ratio", DoubleType),
              req("content_hash", StringType),
              req("shingles", createArrayType(LongType, false)),
              req("signature", StringType),
              req("source_file", StringType),
              req("line_no", LongType),
              req("batch_id", StringType),
              req("ingested_at", TimestampType)),
          List.of(),
          "accepted DataNet records (record_id = EIP-712 digest of the signed content)");

  /** A rejected input line with every reason that applies. */
  public static final TableDef QUARANTINE =
      new TableDef(
          "quarantine",
          schema(
              req("source_file", StringType),
              req("line_no", LongType),
              req("kind", StringType),
              req("raw_line", StringType),
              req("raw_bytes", LongType),
              req("raw_truncated", BooleanType),
              req("reasons", createArrayType(StringType, false)),
              opt("detail", StringType),
              opt("datanet", StringType),
              opt("contributor", StringType),
              opt("record_id", StringType),
              opt("duplicate_of", StringType),
              req("batch_id", StringType),
              req("quarantined_at", TimestampType)),
          List.of(),
          "rejected input lines with reason codes");

  /** Line counts of one ingest batch per DataNet, contributor, outcome and reason. */
  public static final TableDef INGEST_BATCHES =
      new TableDef(
          "ingest_batches",
          schema(
              req("batch_id", StringType),
              req("kind", StringType),
              req("datanet", StringType),
              req("contributor", StringType),
              req("outcome", StringType),
              req("reason", StringType),
              req("lines", LongType),
              req("committed_at", TimestampType)),
          List.of(),
          "metrics per ingest batch: lines per outcome and reason");

  /** One logged answer with the fee it earned. */
  public static final TableDef INFERENCES =
      new TableDef(
          "inferences",
          schema(
              req("inference_id", StringType),
              req("ts", TimestampType),
              req("epoch", DateType),
              req("model_id", StringType),
              opt("adapter_id", StringType),
              req("prompt", StringType),
              req("output", StringType),
              // Tokens of the prompt as the model saw it (chat template and retrieved text included) and
              // of the answer; null in logs of gateways that do not count them.
              opt("prompt_tokens", IntegerType),
              opt("output_tokens", IntegerType),
              req("fee_wei", WEI),
              // The records retrieved into the prompt, best first: a record's rank is its position + 1.
              req(
                  "retrieved",
                  createArrayType(
                      createStructType(
                          new StructField[] {
                            // Delta cannot enforce NOT NULL inside arrays.
                            opt("record_id", StringType), opt("score", DoubleType)
                          }),
                      false)),
              opt("requester", StringType),
              // The registered gateway whose EIP-712 signature over the line ingestion verified.
              req("gateway", StringType),
              req("source_file", StringType),
              req("line_no", LongType),
              req("batch_id", StringType),
              req("ingested_at", TimestampType)),
          List.of("epoch"),
          "logged answers with fees (wei)");

  /**
   * How an answer's data share was attributed: one row per credited record (top-k, shares of one
   * answer summing to 1), or, for an answer without positive evidence, one {@code fallback} row per
   * contributor with no record.
   */
  public static final TableDef ATTRIBUTIONS =
      new TableDef(
          "attributions",
          schema(
              req("epoch", DateType),
              req("inference_id", StringType),
              opt("record_id", StringType),
              req("contributor", StringType),
              req("method", StringType),
              req("score", DoubleType),
              req("share", DoubleType)),
          List.of("epoch"),
          "per answer: the records (and contributors) credited, by method, with shares summing to 1");

  /** Rewards of one account in one epoch for one role (data contributor, model builder, protocol). */
  public static final TableDef EPOCH_REWARDS =
      new TableDef(
          "epoch_rewards",
          schema(
              req("epoch", DateType),
              req("account", StringType),
              req("role", StringType),
              req("amount_wei", WEI)),
          List.of("epoch"),
          "rewards per epoch, account and role (wei)");

  /** An epoch's Merkle distribution of cumulative balances and its on-chain state. */
  public static final TableDef DISTRIBUTIONS =
      new TableDef(
          "distributions",
          schema(
              req("epoch", DateType),
              req("root", StringType),
              req("accounts", LongType),
              req("cumulative_total_wei", WEI),
              req("epoch_total_wei", WEI),
              req("artifact_uri", StringType),
              req("content_hash", StringType),
              req("status", StringType),
              opt("tx_hash", StringType),
              req("updated_at", TimestampType),
              // The governance report of this root, written before it is proposed.
              opt("report_uri", StringType)),
          List.of(),
          "Merkle distributions per epoch: root, totals, artifacts, on-chain status, governance report");

  /**
   * Every transaction the operator signed, recorded before it is sent (an outbox): a run that
   * crashes between signing and the receipt finds its transaction here on the re-run, and waits for
   * it, re-broadcasts it or replaces it at the same nonce with a higher fee, never sending a second
   * independent one. Append-only; what became of a transaction is read from the chain.
   */
  public static final TableDef CHAIN_TRANSACTIONS =
      new TableDef(
          "chain_transactions",
          schema(
              req("epoch", DateType),
              req("action", StringType),
              req("chain_id", LongType),
              req("contract", StringType),
              req("sender", StringType),
              req("nonce", LongType),
              req("tx_hash", StringType),
              req("raw_tx", StringType),
              req("max_fee_per_gas_wei", WEI),
              req("priority_fee_per_gas_wei", WEI),
              req("signed_at", TimestampType)),
          List.of(),
          "every signed transaction, recorded before sending: epoch, action, nonce, hash, raw transaction, fees");

  /**
   * A trained model: a teacher, a distilled student, or a LoRA adapter on a base. {@code records_version}
   * is the Delta version of {@code records} the training read, so the exact training set can be
   * reloaded with time travel.
   */
  public static final TableDef MODELS =
      new TableDef(
          "models",
          schema(
              req("model_id", StringType),
              req("kind", StringType),
              req("name", StringType),
              opt("parent_id", StringType),
              opt("owner", StringType),
              req("datanets", createArrayType(StringType, false)),
              req("spec", StringType),
              req("records_version", LongType),
              req("tokenizer", StringType),
              req("config", StringType),
              req("metrics", createMapType(StringType, DoubleType, false)),
              req("artifact_uri", StringType),
              req("created_at", TimestampType)),
          List.of(),
          "trained models: kind, parent, spec, records version read, metrics, artifacts");

  /** Which record trained (or was held out from) which model. */
  public static final TableDef TRAINING_EXAMPLES =
      new TableDef(
          "training_examples",
          schema(
              req("model_id", StringType),
              req("record_id", StringType),
              req("contributor", StringType),
              req("datanet", StringType),
              req("split", StringType)),
          List.of(),
          "records used by each model (split: train or heldout)");

  /**
   * A training record's gradient of the loss with respect to an adapter's LoRA parameters,
   * randomly projected per LoRA module: {@code features} holds {@code modules × projection_dim}
   * floats, module after module; {@code module_sq_norms} the squared norm of each module's part.
   */
  public static final TableDef GRADIENT_FEATURES =
      new TableDef(
          "gradient_features",
          schema(
              req("model_id", StringType),
              req("record_id", StringType),
              req("projection_dim", IntegerType),
              req("projection_seed", LongType),
              req("modules", createArrayType(StringType, false)),
              req("features", createArrayType(FloatType, false)),
              req("module_sq_norms", createArrayType(DoubleType, false)),
              req("loss", DoubleType)),
          List.of(),
          "per-record projected LoRA gradients of each adapter (for attribution)");

  /**
   * The training-data audit of an adapter: each training record's DataInf self-influence (how much
   * the record alone decides its own loss), its robust z-score among the adapter's records, and
   * whether that score reaches the audit's threshold. A flagged record is one the rest of its
   * DataNet does not explain (a question paired with a wrong answer, scrambled text): a record for
   * a curator to read, not one the audit removes.
   */
  public static final TableDef TRAINING_AUDIT =
      new TableDef(
          "training_audit",
          schema(
              req("model_id", StringType),
              req("record_id", StringType),
              req("contributor", StringType),
              req("datanet", StringType),
              req("self_influence", DoubleType),
              req("outlier_score", DoubleType),
              req("rank", IntegerType),
              req("flagged", BooleanType),
              req("projection_dim", IntegerType),
              req("modules", IntegerType),
              req("threshold", DoubleType),
              req("audited_at", TimestampType)),
          List.of(),
          "per adapter and training record: self-influence, robust z-score, flagged for review");

  /** Versions one table pins in another: VACUUM and log cleanup must keep them readable. */
  public static List<VersionPin> versionPins() {
    return List.of(new VersionPin(MODELS, "records_version", RECORDS));
  }

  /** All tables, in the order the stages produce them. */
  public static List<TableDef> all() {
    return List.of(DATANETS, GATEWAYS, INGESTED_FILES, RECORDS, QUARANTINE, INGEST_BATCHES, MODELS, TRAINING_EXAMPLES, GRADIENT_FEATURES, TRAINING_AUDIT, INFERENCES,
        ATTRIBUTIONS, EPOCH_REWARDS, DISTRIBUTIONS, CHAIN_TRANSACTIONS);
  }

  /** Looks a table up by name. */
  public static Optional<TableDef> byName(String name) {
    return all().stream().filter(t -> t.name().equals(name)).findFirst();
  }

  private static StructType schema(StructField... fields) {
    return createStructType(fields);
  }

  private static StructField req(String name, DataType type) {
    return createStructField(name, type, false);
  }

  private static StructField opt(String name, DataType type) {
    return createStructField(name, type, true);
  }
}
