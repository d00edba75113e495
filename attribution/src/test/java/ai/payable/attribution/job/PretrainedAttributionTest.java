package ai.payable.attribution.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.gateway.GatewayRegistry;
import ai.payable.pipelines.ingest.InferenceIngestJob;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.training.job.TrainingJob;
import ai.payable.training.reference.HuggingFaceReference;
import ai.payable.training.registry.ModelImport;
import ai.payable.training.spec.TrainingSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

/**
 * Attribution of answers from a pretrained base (SmolLM2 cut to four layers, with its BPE tokenizer
 * and chat template) and its adapter: query gradients laid out through the chat template match
 * the stored features, span and retrieval evidence still credit the right records, an answer of
 * the bare base is settled, and every wei is paid.
 */
class PretrainedAttributionTest extends SparkTestBase {

  /** The gateway that signs the test's answers. */
  private static final GatewaySigner GATEWAY = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0xa772L).shiftLeft(170).add(BigInteger.ONE)));

  private static final LocalDate DAY = LocalDate.parse("2026-11-23");
  private static final String TREASURY = ai.payable.core.identity.Address.parse("0x000000000000000000000000000000000000beef").checksummed();

  @Test
  void attributesAnswersOfAPretrainedBaseAndItsAdapter() throws Exception {
    Path landing = scratch.resolve("landing");
    SampleSubmissions.write(landing, 60, 4, 0.0, "2026-11-20", 2);
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(SampleSubmissions.DATANETS_YAML, "sample.yaml"));
    new SubmissionIngestJob(lakehouse).run(landing.resolve("landing").toUri());

    Path truncated = HuggingFaceReference.truncatedSmolLM2(scratch.resolve("smol4"), 4);
    String models = scratch.resolve("models").toString();
    ModelRow base = new ModelImport(lakehouse, models, Progress.silent()).run(truncated, Optional.empty());
    String adapter = new TrainingJob(lakehouse, models, scratch.resolve("cache"), Progress.silent(), (s, n, l, t, sec) -> {}).run(TrainingSpec.parse("""
        name: agro-smol
        kind: adapter
        base: smol4
        datanets: [agronomy]
        lora: {rank: 4, alpha: 8, targets: [q_proj, v_proj]}
        epochs: 1
        batch_size: 8
        max_length: 160
        features: {projection_dim: 8, layers: 2}
        """, "agro.yaml")).model().modelId();
    // Features of the top 2 of the 4 layers only; the night's query gradients take the same modules.
    assertEquals(List.of("model.layers.2.self_attn.q_proj", "model.layers.2.self_attn.v_proj", "model.layers.3.self_attn.q_proj",
        "model.layers.3.self_attn.v_proj"), lakehouse.read(Tables.GRADIENT_FEATURES).first().getList(lakehouse.read(Tables.GRADIENT_FEATURES).schema()
        .fieldIndex("modules")));

    List<Row> agronomy = lakehouse.read(Tables.RECORDS).where("datanet = 'agronomy'").orderBy("record_id").collectAsList();
    Row planted = agronomy.get(1);
    Row retrieved = agronomy.get(2);
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    BigInteger fees = BigInteger.ZERO;
    for (int i = 0; i < 4; i++) {
      ObjectNode log = json.createObjectNode();
      log.put("inference_id", String.format("0x%064x", i + 1));
      log.put("ts", "2026-11-23T0" + i + ":00:00Z");
      log.put("model_id", base.modelId());
      if (i != 3) {
        log.put("adapter_id", adapter);
      }
      log.put("prompt", i == 0 ? planted.getAs("prompt") : "How should I rotate crops on a small farm?");
      log.put("output", i == 0 ? planted.<String>getAs("completion") : "Rotate legumes with cereals, and keep notes of each field.");
      BigInteger fee = BigInteger.valueOf(1_000_000_007L * (i + 1));
      fees = fees.add(fee);
      log.put("fee_wei", fee.toString());
      var r = log.putArray("retrieved");
      if (i == 1) {
        r.addObject().put("record_id", retrieved.<String>getAs("record_id")).put("score", 0.9);
      }
      lines.add(GATEWAY.signJson(json.writeValueAsString(log)));
    }
    Path logs = Files.createDirectories(scratch.resolve("logs"));
    Files.write(logs.resolve("day.jsonl"), lines);
    new GatewayRegistry(lakehouse).register("test-gateway", GATEWAY.address(), "");
    new InferenceIngestJob(lakehouse).run(logs.toUri());

    AttributionJob.Summary summary = new AttributionJob(lakehouse, AttributionSettings.defaults(TREASURY), scratch.resolve("cache"), Progress.silent()).run(DAY);
    assertEquals(4, summary.answers());
    assertTrue(summary.methods().getOrDefault("gradient", 0) > 0, "gradient evidence from the pretrained adapter: " + summary.methods());
    BigInteger rewarded = lakehouse.read(Tables.EPOCH_REWARDS).where("epoch = '" + DAY + "'").collectAsList().stream()
        .map(r -> r.<BigDecimal>getAs("amount_wei").toBigIntegerExact()).reduce(BigInteger.ZERO, BigInteger::add);
    assertEquals(fees, rewarded, "Σ epoch_rewards = Σ fees, to the wei");
    List<Row> attributions = lakehouse.read(Tables.ATTRIBUTIONS).where("epoch = '" + DAY + "'").collectAsList();
    attributions.stream().collect(Collectors.groupingBy(r -> r.<String>getAs("inference_id"), Collectors.summingDouble(r -> r.<Double>getAs("share"))))
        .forEach((id, sum) -> assertEquals(1.0, sum, 1e-9, "shares of " + id));
    Row top = attributions.stream().filter(r -> r.getAs("inference_id").equals(String.format("0x%064x", 1)))
        .max((a, b) -> Double.compare(a.getAs("share"), b.getAs("share"))).orElseThrow();
    assertEquals(planted.<String>getAs("record_id"), top.getAs("record_id"), "the copied record earns the most");
    assertTrue(attributions.stream().anyMatch(r -> r.getAs("inference_id").equals(String.format("0x%064x", 2))
        && retrieved.getAs("record_id").equals(r.getAs("record_id")) && "retrieval".equals(r.getAs("method"))));

    // The bare base's answer credits nobody's data: one fallback row naming the treasury, paid as protocol revenue.
    List<Row> bare = attributions.stream().filter(r -> r.getAs("inference_id").equals(String.format("0x%064x", 4))).toList();
    assertEquals(1, bare.size(), bare.toString());
    assertEquals("fallback", bare.get(0).getAs("method"));
    assertEquals(TREASURY, bare.get(0).getAs("contributor"));
    assertEquals(0L, lakehouse.read(Tables.EPOCH_REWARDS).where("role = 'data' AND account = '" + TREASURY + "'").count(), "the treasury is no data contributor");

    // Money does not depend on how Spark partitions the work: another shuffle partitioning (answers
    // spread differently over tasks) gives the same attributions and rewards, to the last bit and wei.
    List<String> before = tables();
    String partitions = lakehouse.spark().conf().get("spark.sql.shuffle.partitions");
    lakehouse.spark().conf().set("spark.sql.shuffle.partitions", "7");
    try {
      new AttributionJob(lakehouse, AttributionSettings.defaults(TREASURY), scratch.resolve("cache"), Progress.silent()).run(DAY);
    } finally {
      lakehouse.spark().conf().set("spark.sql.shuffle.partitions", partitions);
    }
    assertEquals(before, tables());
  }

  /** The epoch's attributions and rewards, every column, in a fixed order. */
  private List<String> tables() {
    List<String> rows = new ArrayList<>();
    lakehouse.read(Tables.ATTRIBUTIONS).orderBy("inference_id", "contributor", "record_id").collectAsList().forEach(r -> rows.add(r.toString()));
    lakehouse.read(Tables.EPOCH_REWARDS).orderBy("role", "account").collectAsList().forEach(r -> rows.add(r.toString()));
    return rows;
  }
}
