package ai.payable.attribution.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

/** A day of answers attributed end to end, on tables the ingestion and training produced. */
class AttributionJobTest extends SparkTestBase {

  /** The gateway that signs the test's answers. */
  private static final GatewaySigner GATEWAY = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0xa771L).shiftLeft(170).add(BigInteger.ONE)));

  private static final LocalDate DAY = LocalDate.parse("2026-11-23");
  private static final String OWNER = ai.payable.core.identity.Address.parse("0x00000000000000000000000000000000000000aa").checksummed();
  private static final String TREASURY = ai.payable.core.identity.Address.parse("0x000000000000000000000000000000000000beef").checksummed();

  @Test
  void attributesADayAndSplitsEveryWei() throws Exception {
    Path landing = scratch.resolve("landing");
    SampleSubmissions.write(landing, 180, 6, 0.0, "2026-11-20", 1);
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(SampleSubmissions.DATANETS_YAML, "sample.yaml"));
    new SubmissionIngestJob(lakehouse).run(landing.resolve("landing").toUri());
    TrainingJob training = new TrainingJob(lakehouse, scratch.resolve("models").toString(), scratch.resolve("cache"), Progress.silent(), (s, n, l, t, sec) -> {});
    String base = training.run(TrainingSpec.parse("""
        name: base
        kind: teacher
        datanets: [dermatology, contracts, agronomy]
        model: {hidden_size: 32, layers: 1, heads: 2, intermediate_size: 64, context: 128}
        epochs: 1
        """, "base.yaml")).model().modelId();
    String adapter = training.run(TrainingSpec.parse("""
        name: agro
        kind: adapter
        base: base
        owner: "%s"
        datanets: [agronomy]
        lora: {rank: 4, alpha: 8, targets: [q_proj, v_proj]}
        epochs: 1
        features: {projection_dim: 8}
        """.formatted(OWNER), "agro.yaml")).model().modelId();

    // A planted answer copies one agronomy record's completion; another retrieved a record; a
    // third is base-model gibberish with no evidence; the rest are random fees on the adapter.
    List<Row> agronomy = lakehouse.read(Tables.RECORDS).where("datanet = 'agronomy'").orderBy("record_id").collectAsList();
    // A question/answer record the adapter trained on (not one it held out), whose answer it can repeat.
    Row planted = lakehouse.read(Tables.RECORDS)
        .join(lakehouse.read(Tables.TRAINING_EXAMPLES).where("model_id = '" + adapter + "' AND split = 'train'").select("record_id"), "record_id")
        .where("datanet = 'agronomy' AND kind = 'qa'").orderBy("record_id").collectAsList().get(3);
    Row retrievedRecord = agronomy.get(7);
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(5);
    BigInteger fees = BigInteger.ZERO;
    for (int i = 0; i < 30; i++) {
      ObjectNode log = json.createObjectNode();
      log.put("inference_id", String.format("0x%064x", i + 1));
      log.put("ts", "2026-11-23T0" + (i % 10) + ":00:00Z");
      log.put("model_id", base);
      if (i != 2) {
        log.put("adapter_id", adapter);
      }
      log.put("prompt", i == 0 ? planted.getAs("prompt") : "How should I rotate crops " + i + "?");
      log.put("output", switch (i) {
        case 0 -> planted.<String>getAs("completion");
        case 2 -> "zq xv kj";
        default -> "Crop rotation with legumes helps " + i;
      });
      BigInteger fee = new BigInteger(64, new java.util.Random(i)).add(BigInteger.valueOf(random.nextInt(1000)));
      fees = fees.add(fee);
      log.put("fee_wei", fee.toString());
      var retrieved = log.putArray("retrieved");
      if (i == 1) {
        retrieved.addObject().put("record_id", retrievedRecord.<String>getAs("record_id")).put("score", 0.9);
      }
      lines.add(GATEWAY.signJson(json.writeValueAsString(log)));
    }
    Path logs = Files.createDirectories(scratch.resolve("logs"));
    Files.write(logs.resolve("day.jsonl"), lines);
    new GatewayRegistry(lakehouse).register("test-gateway", GATEWAY.address(), "");
    new InferenceIngestJob(lakehouse).run(logs.toUri());
    assertEquals(30, lakehouse.read(Tables.INFERENCES).count());

    AttributionJob job = new AttributionJob(lakehouse, AttributionSettings.defaults(TREASURY), scratch.resolve("cache"), Progress.silent());
    AttributionJob.Summary summary = job.run(DAY);
    assertEquals(30, summary.answers());
    assertEquals(fees, summary.fees());
    BigInteger rewarded = lakehouse.read(Tables.EPOCH_REWARDS).where("epoch = '" + DAY + "'").collectAsList().stream()
        .map(r -> r.<BigDecimal>getAs("amount_wei").toBigIntegerExact()).reduce(BigInteger.ZERO, BigInteger::add);
    assertEquals(fees, rewarded, "Σ epoch_rewards = Σ fees, to the wei");

    List<Row> attributions = lakehouse.read(Tables.ATTRIBUTIONS).where("epoch = '" + DAY + "'").collectAsList();
    attributions.stream().collect(Collectors.groupingBy(r -> r.<String>getAs("inference_id"), Collectors.summingDouble(r -> r.<Double>getAs("share"))))
        .forEach((id, sum) -> assertEquals(1.0, sum, 1e-9, "shares of " + id));
    List<Row> plantedRows = attributions.stream().filter(r -> r.getAs("inference_id").equals(String.format("0x%064x", 1)))
        .sorted((a, b) -> Double.compare(b.getAs("share"), a.getAs("share"))).toList();
    assertEquals(planted.<String>getAs("record_id"), plantedRows.get(0).getAs("record_id"), "the copied record earns the most: " + plantedRows);
    assertEquals("span", plantedRows.get(0).getAs("method"));
    assertTrue(attributions.stream().anyMatch(r -> r.getAs("inference_id").equals(String.format("0x%064x", 2))
        && retrievedRecord.getAs("record_id").equals(r.getAs("record_id")) && "retrieval".equals(r.getAs("method"))));
    List<Row> gibberish = attributions.stream().filter(r -> r.getAs("inference_id").equals(String.format("0x%064x", 3))).toList();
    assertFalse(gibberish.isEmpty(), "the base model's gibberish answer is attributed too");
    assertTrue(gibberish.stream().allMatch(r -> "fallback".equals(r.getAs("method"))), "no evidence for the base model's gibberish: fallback " + gibberish);
    assertTrue(summary.methods().getOrDefault("gradient", 0) > 0, "gradient evidence on adapter answers: " + summary.methods());

    List<Row> builder = lakehouse.read(Tables.EPOCH_REWARDS).where("role = 'model_builder'").collectAsList();
    assertEquals(2, builder.size(), "the adapter's owner, and the treasury for the ownerless base: " + builder);
    assertTrue(builder.stream().anyMatch(r -> r.getAs("account").equals(OWNER)));
    assertEquals(List.of(TREASURY), lakehouse.read(Tables.EPOCH_REWARDS).where("role = 'protocol'").select("account").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

    // Re-running the epoch gives identical tables, never doubles.
    List<String> before = snapshot();
    job.run(DAY);
    assertEquals(before, snapshot());

    // Explaining an answer on its own recomputes exactly what the night paid (its gradient batch is
    // recomputed with the same batch mates), for answers of the adapter, the base and with retrieval.
    for (int i : new int[] {1, 2, 5, 17}) {
      String id = String.format("0x%064x", i);
      Map<String, Double> stored = new java.util.TreeMap<>();
      attributions.stream().filter(r -> r.getAs("inference_id").equals(id) && r.getAs("record_id") != null)
          .forEach(r -> stored.put(r.getAs("record_id"), r.getAs("share")));
      Map<String, Double> explained = new java.util.TreeMap<>();
      job.explain(DAY, id).combined().forEach(s -> explained.put(s.recordId(), s.share()));
      assertEquals(stored, explained, "answer " + i + " explained alone");
    }
  }

  private List<String> snapshot() {
    List<String> rows = new ArrayList<>();
    lakehouse.read(Tables.ATTRIBUTIONS).collectAsList().forEach(r -> rows.add("a " + r));
    lakehouse.read(Tables.EPOCH_REWARDS).collectAsList().forEach(r -> rows.add("r " + r));
    rows.sort(null);
    return rows;
  }
}
