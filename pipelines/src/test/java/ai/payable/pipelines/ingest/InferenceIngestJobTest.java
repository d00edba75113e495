package ai.payable.pipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.gateway.GatewayRegistry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

class InferenceIngestJobTest extends SparkTestBase {

  private static final String RID = "0x" + "ab".repeat(32);

  /** The test's gateway, registered before each test. */
  static final GatewaySigner GATEWAY = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0x6a7e_3a9L).shiftLeft(200).add(BigInteger.TEN)));

  @BeforeEach
  void registerGateway() {
    new GatewayRegistry(lakehouse).register("test-gateway", GATEWAY.address(), "");
  }

  /** {@code json} signed by the test's gateway; a line that is not a complete log line stays as it is (unsigned). */
  static String signed(String json) {
    try {
      return GATEWAY.signJson(json);
    } catch (IllegalArgumentException incomplete) {
      return json;
    }
  }

  private static String line(String id, String fee) {
    return "{\"inference_id\":\"" + id + "\",\"ts\":\"2026-11-23T08:15:00Z\",\"model_id\":\"slm-1\",\"adapter_id\":\"derm-lora\","
        + "\"prompt\":\"What helps eczema?\",\"output\":\"Moisturise daily.\",\"fee_wei\":" + fee
        + ",\"retrieved\":[{\"record_id\":\"" + RID + "\",\"score\":0.83}],\"requester\":\"app-1\"}";
  }

  @Test
  void validLinesLandPerEpochAndBadOnesAreQuarantined() throws Exception {
    Path landing = scratch.resolve("logs");
    List<String> lines = Stream.of(
        line("i-1", "\"1500000000000000000\""),
        line("i-2", "\"123456789012345678901234567890\"").replace("\"fee_wei\"", "\"prompt_tokens\":41,\"output_tokens\":12,\"fee_wei\""),
        line("i-3", "1500"),
        line("i-4", "\"-5\""),
        line("i-5", "\"1.5\""),
        line("i-1", "\"7\""),
        line("i-6", "\"0\"").replace("2026-11-23T08:15:00Z", "yesterday"),
        line("i-7", "\"0\"").replace(RID, "0x12"),
        "{\"inference_id\":\"i-8\"}",
        line("i-9", "\"99\"").replace("08:15:00Z", "23:59:59Z"),
        line("i-10", "\"1\"").replace("\"fee_wei\"", "\"output_tokens\":-1,\"fee_wei\"")).map(InferenceIngestJobTest::signed).toList();
    Submissions.write(landing, "day.jsonl", lines);

    InferenceIngestJob job = new InferenceIngestJob(lakehouse);
    IngestSummary s = job.run(landing.toUri());
    assertEquals(11, s.lines(), s.render());
    assertEquals(3, s.accepted(), s.render());

    Map<String, List<String>> reasons = new TreeMap<>();
    for (Row q : lakehouse.read(Tables.QUARANTINE).collectAsList()) {
      reasons.put(q.<Long>getAs("line_no") + "", q.getList(q.fieldIndex("reasons")));
    }
    assertEquals(List.of("BAD_FEE"), reasons.get("3"));
    assertEquals(List.of("BAD_FEE"), reasons.get("4"));
    assertEquals(List.of("BAD_FEE"), reasons.get("5"));
    assertEquals(List.of("DUPLICATE"), reasons.get("6"));
    assertEquals(List.of("SCHEMA"), reasons.get("7"));
    assertEquals(List.of("SCHEMA"), reasons.get("8"));
    assertTrue(reasons.get("9").contains("SCHEMA"));
    assertEquals(List.of("SCHEMA"), reasons.get("11"), "a negative token count");

    Row big = lakehouse.read(Tables.INFERENCES).where("inference_id = 'i-2'").first();
    assertEquals(new BigDecimal("123456789012345678901234567890"), big.getAs("fee_wei"));
    assertEquals(java.sql.Date.valueOf("2026-11-23"), big.getAs("epoch"));
    assertEquals(41, big.<Integer>getAs("prompt_tokens"));
    assertEquals(12, big.<Integer>getAs("output_tokens"));
    assertTrue(lakehouse.read(Tables.INFERENCES).where("inference_id = 'i-1'").first().isNullAt(big.fieldIndex("output_tokens")), "counts are optional");
    assertEquals(RID, big.<Row>getList(big.fieldIndex("retrieved")).get(0).getString(0));

    // The same id in a later file is a duplicate of the logged one.
    Submissions.write(landing, "late.jsonl", List.of(signed(line("i-2", "\"5\""))));
    IngestSummary later = job.run(landing.toUri());
    assertEquals(1, later.quarantined());
    assertEquals(3, lakehouse.read(Tables.INFERENCES).count());
    assertEquals("i-2", lakehouse.read(Tables.QUARANTINE).where("source_file LIKE '%late.jsonl'").first().getAs("duplicate_of"));
    assertTrue(Files.exists(landing.resolve("late.jsonl")));
  }

  @Test
  void aLateLineIsPaidInTheFirstEpochStillOpen() throws Exception {
    Path landing = scratch.resolve("logs");
    Submissions.write(landing, "on-time.jsonl", List.of(signed(line("i-1", "\"10\""))));
    InferenceIngestJob job = new InferenceIngestJob(lakehouse);
    job.run(landing.toUri());
    // The nightly run attributes 2026-11-23 (its rewards are written); then lines of that day, and of the day before, arrive.
    lakehouse.append(Tables.EPOCH_REWARDS, List.of(RowFactory.create(Date.valueOf("2026-11-23"), "0x" + "11".repeat(20), "data", new BigDecimal(10))));
    Submissions.write(landing, "late.jsonl", Stream.of(line("i-2", "\"20\""), line("i-3", "\"30\"").replace("2026-11-23T08:15:00Z", "2026-11-22T23:00:00Z"),
        line("i-4", "\"40\"").replace("2026-11-23T08:15:00Z", "2026-11-24T01:00:00Z"), line("i-5", "\"50\"").replace("2026-11-23T08:15:00Z", "2026-11-26T01:00:00Z"))
        .map(InferenceIngestJobTest::signed).toList());
    IngestSummary late = job.run(landing.toUri());
    assertEquals(4, late.accepted(), late.render());

    Map<String, String> epochs = new TreeMap<>();
    Map<String, String> stamps = new TreeMap<>();
    for (Row r : lakehouse.read(Tables.INFERENCES).collectAsList()) {
      epochs.put(r.getAs("inference_id"), r.getAs("epoch").toString());
      stamps.put(r.getAs("inference_id"), r.<java.sql.Timestamp>getAs("ts").toInstant().toString());
    }
    assertEquals(Map.of("i-1", "2026-11-23", "i-2", "2026-11-24", "i-3", "2026-11-24", "i-4", "2026-11-24", "i-5", "2026-11-26"), epochs,
        "the attributed day is closed: its late lines, and older ones, go to the first open day; later lines keep their own");
    assertEquals("2026-11-22T23:00:00Z", stamps.get("i-3"), "a late line keeps its own time");
  }

  @Test
  void aRewriteOfTheSameSizeIsQuarantinedNotSkipped() throws Exception {
    Path landing = scratch.resolve("logs");
    Path file = Submissions.write(landing, "day.jsonl", List.of(signed(line("i-1", "\"10\"")), signed(line("i-2", "\"20\""))));
    InferenceIngestJob job = new InferenceIngestJob(lakehouse);
    assertEquals(2, job.run(landing.toUri()).accepted());
    long size = Files.size(file);
    // The gateway's file is rewritten in place: same size, other fees and another answer.
    Files.writeString(file, Files.readString(file).replace("\"10\"", "\"99\"").replace("i-2", "i-3"));
    assertEquals(size, Files.size(file));
    IngestSummary rewritten = job.run(landing.toUri());
    assertEquals(0, rewritten.accepted(), rewritten.render());
    assertEquals(2, rewritten.quarantined(), rewritten.render());
    assertEquals(Map.of("CONFLICTING_REWRITE", 2L), rewritten.reasons());
    assertEquals(new BigDecimal(10), lakehouse.read(Tables.INFERENCES).where("inference_id = 'i-1'").first().getAs("fee_wei"), "what was paid stays");
    assertEquals(0, lakehouse.read(Tables.INFERENCES).where("inference_id = 'i-3'").count());
    assertEquals(0, job.run(landing.toUri()).filesIngested(), "the rewrite is recorded; the next run reads nothing");

    // Appending lines is not a rewrite: only the new line is read, and taken; the quarantined ones stay quarantined.
    Files.writeString(file, signed(line("i-4", "\"40\"")) + "\n", java.nio.file.StandardOpenOption.APPEND);
    IngestSummary appended = job.run(landing.toUri());
    assertEquals(1, appended.lines(), appended.render());
    assertEquals(1, appended.accepted(), appended.render());
    assertEquals(0, lakehouse.read(Tables.INFERENCES).where("inference_id = 'i-3'").count());
  }
}
