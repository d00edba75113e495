package ai.payable.pipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.submission.SubmissionSigner;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubmissionIngestJobTest extends SparkTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private Path landing;
  private SubmissionIngestJob job;

  @BeforeEach
  void registerDataNets() throws Exception {
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(Submissions.DATANETS_YAML, "test.yaml"));
    landing = scratch.resolve("landing");
    Files.createDirectories(landing);
    job = new SubmissionIngestJob(lakehouse);
  }

  @Test
  void aCopyWithTwoPhrasesReworded_isQuarantinedAsANearDuplicateOfTheOriginal() throws Exception {
    String original =
        "Milia are small white cysts that often appear on the cheeks and eyelids of adults after sun damage or heavy creams."
            + " They are harmless and rarely painful, and most clear without treatment within several days to a few months."
            + " When a patient asks for removal, a dermatologist can open each cyst with a sterile needle and express the keratin plug.";
    String copy = original.replace("several days", "a few days").replace("rarely painful", "seldom painful");
    Submissions.write(landing, "a-original.jsonl", List.of(Submissions.contributor(1).signLine("dermatology", "CC0-1.0", "text", "", "", original, "2026-11-20T10:00:00Z")));
    job.run(landing.toUri());
    Submissions.write(landing, "b-copy.jsonl", List.of(Submissions.contributor(2).signLine("dermatology", "CC0-1.0", "text", "", "", copy, "2026-11-19T10:00:00Z")));

    IngestSummary s = job.run(landing.toUri());

    assertEquals(0, s.accepted(), s.render());
    Row q = lakehouse.read(Tables.QUARANTINE).first();
    String originalId = lakehouse.read(Tables.RECORDS).first().getAs("record_id");
    assertEquals(List.of("NEAR_DUPLICATE"), q.getList(q.fieldIndex("reasons")));
    assertEquals(originalId, q.getAs("duplicate_of"));
    assertTrue(q.<String>getAs("detail").matches("NEAR_DUPLICATE: copy of record " + originalId + " \\(similarity 0\\.\\d\\d\\)"), q.<String>getAs("detail"));
  }

  @Test
  void validLinesBecomeRecordsAndRerunAddsNothing() throws Exception {
    SubmissionSigner alice = Submissions.contributor(1);
    SubmissionSigner bob = Submissions.contributor(2);
    Submissions.write(landing, "a.jsonl", Submissions.valid(alice, "dermatology", 30, 1));
    Submissions.write(landing.resolve("sub"), "b.jsonl", Submissions.valid(bob, "contracts", 20, 2));

    IngestSummary first = job.run(landing.toUri());
    assertEquals(50, first.lines());
    assertEquals(50, first.accepted(), () -> first.render() + quarantined());
    assertEquals(50, lakehouse.read(Tables.RECORDS).count());
    Row r = lakehouse.read(Tables.RECORDS).where("contributor = '" + alice.address() + "'").orderBy("line_no").first();
    assertEquals(1L, r.<Long>getAs("line_no"));
    assertTrue(r.<String>getAs("source_file").endsWith("a.jsonl"));
    assertEquals("en", r.getAs("language"));

    IngestSummary again = job.run(landing.toUri());
    assertNull(again.batchId());
    assertEquals(2, again.filesSkipped());
    assertEquals(50, lakehouse.read(Tables.RECORDS).count());
    assertEquals(2, lakehouse.read(Tables.INGESTED_FILES).count());
  }

  @Test
  void hostileCorpusIsQuarantinedLineByLineWithReasons() throws Exception {
    SubmissionSigner alice = Submissions.contributor(1);
    SubmissionSigner mallory = Submissions.contributor(9);
    List<String> good = Submissions.valid(alice, "dermatology", 6, 7);
    List<byte[]> lines = new ArrayList<>();
    Map<Integer, String> expected = new TreeMap<>();
    int n = 0;
    lines.add(utf8(good.get(0))); expected.put(++n, null);
    lines.add(utf8(good.get(1).substring(0, 80))); expected.put(++n, "MALFORMED_JSON");
    lines.add(new byte[] {'{', '"', 'a', '"', ':', (byte) 0xC3, (byte) 0x28, '}'}); expected.put(++n, "ENCODING");
    lines.add(utf8(good.get(2).replace("\"kind\"", "\"ki\\u0000nd\"").replace("{", "{\"x\":\"\u0000\",").substring(0, 20) + "}")); expected.put(++n, "ENCODING");
    lines.add(utf8(with(good.get(3), "kind", 5))); expected.put(++n, "SCHEMA");
    lines.add(utf8(with(good.get(3), "datanet", "astrology"))); expected.put(++n, "UNKNOWN_DATANET");
    lines.add(utf8(with(good.get(3), "contributor", "0x1234"))); expected.put(++n, "BAD_ADDRESS");
    String mixed = alice.address().checksummed();
    String badChecksum = mixed.substring(0, 2) + swapCase(mixed.substring(2));
    lines.add(utf8(with(good.get(3), "contributor", badChecksum))); expected.put(++n, "BAD_ADDRESS");
    // A signature lifted from another record.
    lines.add(utf8(with(good.get(3), "signature", field(good.get(4), "signature")))); expected.put(++n, "BAD_SIGNATURE");
    // Signed by another key but claiming alice.
    String byMallory = Submissions.valid(mallory, "dermatology", 1, 7).get(0);
    lines.add(utf8(with(byMallory, "contributor", alice.address().value()))); expected.put(++n, "BAD_SIGNATURE");
    lines.add(utf8(alice.signLine("dermatology", "Proprietary", "qa", "What is eczema and how is it usually treated at home by a patient?", "It is a chronic condition; most people manage it with moisturizer, gentle soap and avoiding triggers, and ask a doctor when it spreads.", "", "2026-11-20T10:00:00Z"))); expected.put(++n, "LICENSE_NOT_ALLOWED");
    lines.add(utf8(alice.signLine("dermatology", "CC0-1.0", "qa", "Eczema?", "Use cream.", "", "2026-11-20T10:00:00Z"))); expected.put(++n, "TOO_SHORT");
    lines.add(utf8(alice.signLine("dermatology", "CC0-1.0", "qa", "Wie behandelt man Ekzeme am besten zu Hause, wenn die Haut sehr trocken ist und juckt?", "Man sollte die Haut regelmäßig eincremen, milde Seife verwenden und bei starken Beschwerden einen Arzt aufsuchen, damit die Entzündung nicht schlimmer wird.", "", "2026-11-20T10:00:00Z"))); expected.put(++n, "LANGUAGE");
    lines.add(utf8(alice.signLine("dermatology", "CC0-1.0", "qa", "My rash is spreading on both arms and my skin feels hot, who can I contact about it today?", "Write to jane.doe@example.com or call +1 415 555 0132 and the clinic nurse will call back within the day to book a visit.", "", "2026-11-20T10:00:00Z"))); expected.put(++n, "PII");
    lines.add(utf8(alice.signLine("dermatology", "CC0-1.0", "text", "", "", "buy buy buy cheap cheap cheap buy buy buy cheap cheap cheap buy buy buy cheap cheap cheap buy buy buy cheap cheap cheap", "2026-11-20T10:00:00Z"))); expected.put(++n, "LOW_QUALITY");
    // The same content signed again by bob: a copy.
    SubmissionSigner bob = Submissions.contributor(2);
    ObjectNode orig = (ObjectNode) JSON.readTree(good.get(0));
    String kind = orig.get("kind").asText();
    String prompt = orig.get("prompt").asText();
    String completion = orig.get("completion").asText();
    String text = orig.get("text").asText();
    lines.add(utf8(bob.signLine("dermatology", "CC-BY-4.0", kind, prompt, completion, text, "2026-11-19T10:00:00Z"))); expected.put(++n, "DUPLICATE");
    // One word added: a near copy.
    lines.add(utf8(bob.signLine("dermatology", "CC-BY-4.0", kind, prompt, completion.replaceFirst("\\.", ", really."), text.replaceFirst("\\.", ", really."),
        "2026-11-20T10:00:00Z"))); expected.put(++n, "NEAR_DUPLICATE");
    lines.add(utf8("")); expected.put(++n, "MALFORMED_JSON");
    lines.add(utf8("[1,2,3]")); expected.put(++n, "SCHEMA");
    lines.add(utf8(good.get(5).replace("{\"datanet\"", "{\"datanet\":\"contracts\",\"datanet\""))); expected.put(++n, "MALFORMED_JSON");
    lines.add(utf8(with(good.get(5), "createdAt", 1732000000))); expected.put(++n, "SCHEMA");
    lines.add(utf8("{\"datanet\":\"" + "x".repeat(50 * 1024 * 1024) + "\"}")); expected.put(++n, "TOO_LONG");
    lines.add(utf8(good.get(5))); expected.put(++n, null);

    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    for (byte[] line : lines) {
      file.write(line);
      file.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.write(landing.resolve("hostile.jsonl"), file.toByteArray());
    Files.write(landing.resolve("empty.jsonl"), new byte[0]);

    IngestSummary s = job.run(landing.toUri());
    assertEquals(n, s.lines(), s.render());
    assertEquals(2, s.accepted(), s.render());

    Map<Long, List<String>> reasons = new TreeMap<>();
    for (Row q : lakehouse.read(Tables.QUARANTINE).collectAsList()) {
      reasons.put(q.getAs("line_no"), q.getList(q.fieldIndex("reasons")));
    }
    for (Map.Entry<Integer, String> e : expected.entrySet()) {
      List<String> got = reasons.get((long) e.getKey());
      if (e.getValue() == null) {
        assertNull(got, "line " + e.getKey() + " should be accepted");
      } else {
        assertTrue(got != null && got.contains(e.getValue()), "line " + e.getKey() + ": expected " + e.getValue() + " in " + got);
      }
    }
    Row huge = lakehouse.read(Tables.QUARANTINE).where("array_contains(reasons, 'TOO_LONG')").first();
    assertTrue(huge.<Boolean>getAs("raw_truncated"));
    assertEquals(50L * 1024 * 1024 + 14, huge.<Long>getAs("raw_bytes"));
    assertEquals(LandingRead.RAW_KEEP_CHARS, huge.<String>getAs("raw_line").length());
    // A signature by another key says what likely happened and what to do.
    String forged = lakehouse.read(Tables.QUARANTINE).where("array_contains(reasons, 'BAD_SIGNATURE') AND detail LIKE '%recovers to%'").first()
        .getAs("detail");
    assertTrue(forged.contains("changed after signing") && forged.contains("another key") && forged.contains("sign the line again"), forged);
    Row dup = lakehouse.read(Tables.QUARANTINE).where("line_no = 16").first();
    String original = lakehouse.read(Tables.RECORDS).where("line_no = 1").first().getAs("record_id");
    assertEquals(original, dup.getAs("duplicate_of"));
    assertEquals(original, lakehouse.read(Tables.QUARANTINE).where("line_no = 17").first().getAs("duplicate_of"));
    Row empty = lakehouse.read(Tables.INGESTED_FILES).where("path LIKE '%empty.jsonl'").first();
    assertEquals(0L, empty.<Long>getAs("lines"));
    long metricLines = lakehouse.read(Tables.INGEST_BATCHES).where("reason = 'ALL'").agg(org.apache.spark.sql.functions.sum("lines")).first().getLong(0);
    assertEquals(n, metricLines);
  }

  @Test
  void piiIsRedactedWhenTheDataNetSaysSo() throws Exception {
    SubmissionSigner alice = Submissions.contributor(1);
    Submissions.write(landing, "c.jsonl", List.of(alice.signLine("contracts", "CC-BY-4.0", "qa",
        "Who should receive the termination notice under this agreement, and how quickly must it be sent?",
        "Send it to legal@acme-corp.example.org within thirty days, and copy the account manager so the liability clause is reviewed in time.",
        "", "2026-11-20T10:00:00Z")));
    job.run(landing.toUri());
    Row r = lakehouse.read(Tables.RECORDS).first();
    assertTrue(r.<Boolean>getAs("pii_redacted"));
    assertTrue(r.<String>getAs("completion").contains("[EMAIL]"), r.<String>getAs("completion"));
    assertFalse(r.<String>getAs("completion").contains("legal@"));
  }

  @Test
  void aRunKilledBeforeItsCommitIsRolledBackByTheNextRun() throws Exception {
    SubmissionSigner alice = Submissions.contributor(1);
    Submissions.write(landing, "a.jsonl", Submissions.valid(alice, "dermatology", 12, 3));
    Files.write(landing.resolve("bad.jsonl"), "not json\n".getBytes(StandardCharsets.UTF_8));
    IngestSummary clean = job.run(landing.toUri());
    // Simulate a crash after the output tables were written but before the commit marker.
    lakehouse.ensure(Tables.INGESTED_FILES).delete("batch_id = '" + clean.batchId() + "'");
    IngestSummary rerun = job.run(landing.toUri());
    assertEquals(1, rerun.recoveredBatches());
    assertEquals(clean.batchId(), rerun.batchId());
    assertEquals(12, lakehouse.read(Tables.RECORDS).count());
    assertEquals(1, lakehouse.read(Tables.QUARANTINE).count());
    assertEquals(rerun.lines(), clean.lines());
    assertEquals(12, rerun.accepted());
  }

  private String quarantined() {
    StringBuilder sb = new StringBuilder();
    lakehouse.read(Tables.QUARANTINE).limit(20).collectAsList()
        .forEach(r -> sb.append(r.<Long>getAs("line_no")).append(' ').append(r.<String>getAs("detail")).append('\n'));
    return sb.toString();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String field(String line, String name) throws Exception {
    return JSON.readTree(line).get(name).asText();
  }

  private static String with(String line, String name, Object value) throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(line);
    node.set(name, JSON.valueToTree(value));
    return node.toString();
  }

  private static String swapCase(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return sb.toString();
  }
}
