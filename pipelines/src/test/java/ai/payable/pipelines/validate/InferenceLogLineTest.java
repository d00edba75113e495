package ai.payable.pipelines.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.inference.InferenceLogLine;
import ai.payable.core.money.Wei;
import ai.payable.pipelines.landing.RawLine;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

/** The line a gateway writes is the line ingestion reads: one definition, both ways. */
class InferenceLogLineTest {

  private static final String RECORD_A = "0x" + "ab".repeat(32);
  private static final String RECORD_B = "0x" + "cd".repeat(32);

  private static final GatewaySigner GATEWAY = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0x1e57L).shiftLeft(180).add(BigInteger.ONE)));

  private static InferenceValidator.Result read(String json) {
    return new InferenceValidator(Optional.of(Set.of("base-1")), Set.of(GATEWAY.address().value()))
        .validate(new RawLine(1, json, json.getBytes(StandardCharsets.UTF_8).length, null));
  }

  @Test
  void whatInferenceWritesIngestionReadsBack() {
    InferenceLogLine written = new InferenceLogLine("inf-1", Instant.parse("2026-11-24T05:10:00Z"), "base-1", "adapter-1", "How deep is garlic planted?",
        "About five centimetres.", 180, 12, Wei.parse("123456789012345678901234567"), List.of(new InferenceLogLine.Retrieved(RECORD_A, 7.5),
        new InferenceLogLine.Retrieved(RECORD_B, 3.25)), "0x00000000000000000000000000000000000000aa");
    written = GATEWAY.sign(written);
    String json = written.toJson();
    assertTrue(json.contains("\"fee_wei\":\"123456789012345678901234567\""), "the fee is a string: JSON numbers lose precision above 2^53: " + json);
    assertTrue(json.contains("\"rank\":1") && json.contains("\"rank\":2"), "ranks follow the list's order: " + json);
    InferenceValidator.Result read = read(json);
    assertEquals(List.of(), read.reasons(), read.detail());
    assertEquals(written, read.inference());
  }

  @Test
  void optionalFieldsMayBeLeftOut() {
    InferenceLogLine bare = new InferenceLogLine("inf-2", Instant.parse("2026-11-24T05:11:00Z"), "base-1", null, "Hi", "Hello.", null, null, Wei.of(7),
        List.of(), null);
    bare = GATEWAY.sign(bare);
    String json = bare.toJson();
    assertTrue(!json.contains("adapter_id") && !json.contains("prompt_tokens") && !json.contains("requester"), json);
    assertEquals(bare, read(json).inference());
  }

  @Test
  void aLineReadBackFromJsonSignsTheSame() {
    InferenceLogLine line = GATEWAY.sign(new InferenceLogLine("inf-3", Instant.parse("2026-11-24T05:12:00.250Z"), "base-1", "a", "Q", "A", 3, 2, Wei.of(9),
        List.of(new InferenceLogLine.Retrieved(RECORD_A, 1.0)), "req"));
    assertEquals(line, InferenceLogLine.fromJson(line.toJson()));
    assertEquals(line.toJson(), GATEWAY.signJson(line.toJson()), "signing is deterministic (RFC 6979)");
  }
}
