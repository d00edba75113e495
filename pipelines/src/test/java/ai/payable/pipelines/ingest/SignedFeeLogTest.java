package ai.payable.pipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.inference.InferenceLogLine;
import ai.payable.core.money.Wei;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.gateway.GatewayRegistry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

/**
 * Fees are paid only for lines a registered gateway signed, for answers its registered adapters
 * could give, crediting records they could have retrieved.
 */
class SignedFeeLogTest extends SparkTestBase {

  private static final GatewaySigner GATEWAY = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0x9a7e_1L).shiftLeft(190).add(BigInteger.TWO)));
  private static final GatewaySigner STRANGER = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0x5a7e_2L).shiftLeft(190).add(BigInteger.TWO)));

  private static InferenceLogLine answer(String id, String adapter, long fee, String... retrieved) {
    return new InferenceLogLine(id, Instant.parse("2026-11-23T08:00:00Z"), "base-1", adapter, "What helps eczema?", "Moisturise daily.", 12, 4,
        new Wei(BigInteger.valueOf(fee)), java.util.Arrays.stream(retrieved).map(r -> new InferenceLogLine.Retrieved(r, 0.5)).toList(), null);
  }

  @Test
  void onlySignedRegisteredAndConsistentLinesArePaid() throws Exception {
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(Submissions.DATANETS_YAML, "test.yaml"));
    Path submissions = scratch.resolve("submissions");
    Submissions.write(submissions, "d.jsonl", Submissions.valid(Submissions.contributor(1), "dermatology", 3, 1));
    Submissions.write(submissions, "c.jsonl", Submissions.valid(Submissions.contributor(2), "contracts", 3, 2));
    new SubmissionIngestJob(lakehouse).run(submissions.toUri());
    String derm = lakehouse.read(Tables.RECORDS).where("datanet = 'dermatology'").first().getAs("record_id");
    String law = lakehouse.read(Tables.RECORDS).where("datanet = 'contracts'").first().getAs("record_id");
    Timestamp now = Timestamp.from(Instant.now());
    lakehouse.append(Tables.MODELS, List.of(
        new ModelRow("base-1", ModelKind.BASE, "base", Optional.empty(), Optional.empty(), List.of(), "{}", 0, "tok", "{}", Map.of(), "file:///b", now).toRow(),
        new ModelRow("derm-1", ModelKind.ADAPTER, "derm", Optional.of("base-1"), Optional.empty(), List.of("dermatology"), "{}", 0, "tok", "{}", Map.of(),
            "file:///d", now).toRow()));
    new GatewayRegistry(lakehouse).register("eu-1", GATEWAY.address(), "test");

    String good = GATEWAY.sign(answer("ok", "derm-1", 100, derm)).toJson();
    String forged = good.replace("\"fee_wei\":\"100\"", "\"fee_wei\":\"100000\"");
    List<String> lines = List.of(
        good,
        answer("unsigned", "derm-1", 100, derm).toJson(),
        forged.replace("\"inference_id\":\"ok\"", "\"inference_id\":\"forged\""),
        STRANGER.sign(answer("stranger", "derm-1", 100, derm)).toJson(),
        GATEWAY.sign(answer("no-such-adapter", "derm-9", 100)).toJson(),
        GATEWAY.sign(answer("other-datanet", "derm-1", 100, law)).toJson(),
        GATEWAY.sign(answer("no-such-record", "derm-1", 100, "0x" + "ee".repeat(32))).toJson(),
        GATEWAY.sign(answer("base", null, 100, law)).toJson());
    Path logs = scratch.resolve("logs");
    Submissions.write(logs, "day.jsonl", lines);
    IngestSummary s = new InferenceIngestJob(lakehouse).run(logs.toUri());
    assertEquals(2, s.accepted(), s.render());

    Map<String, String> reasons = new TreeMap<>();
    for (Row q : lakehouse.read(Tables.QUARANTINE).where("kind = 'inference'").collectAsList()) {
      reasons.put(q.getAs("line_no").toString(), String.join(",", q.<String>getList(q.fieldIndex("reasons"))));
    }
    assertEquals(Map.of("2", "UNSIGNED", "3", "BAD_SIGNATURE", "4", "UNKNOWN_GATEWAY", "5", "UNKNOWN_ADAPTER", "6", "FOREIGN_RECORD",
        "7", "FOREIGN_RECORD"), reasons);
    assertEquals(GATEWAY.address().checksummed(), lakehouse.read(Tables.INFERENCES).where("inference_id = 'ok'").first().getAs("gateway"));
    assertEquals(1, lakehouse.read(Tables.INFERENCES).where("inference_id = 'base'").count(), "the bare base may use any accepted record");

    // The same signed line replayed in another file is paid once.
    Submissions.write(logs, "replay.jsonl", List.of(good));
    IngestSummary replay = new InferenceIngestJob(lakehouse).run(logs.toUri());
    assertEquals(Map.of("DUPLICATE", 1L), replay.reasons());
    assertEquals(2, lakehouse.read(Tables.INFERENCES).count());
  }
}
