package ai.payable.pipelines.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.ingest.IngestSummary;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.validate.ContentChecks;
import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.dedup.ShingleFrequencies;
import ai.payable.pipelines.validate.ContentFingerprint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The sample DataNets carry facts with one rightful owner each, and the ingestion keeps every one of them. */
class SampleSubmissionsTest extends SparkTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyQuestionHasOneOwnerWhoseAcceptedRecordStatesTheAnswer() throws Exception {
    Path out = scratch.resolve("sample");
    SampleSubmissions.Generated g = SampleSubmissions.write(out, 240, 6, 0.15, "2026-11-20", 3);
    assertEquals(240, g.questions());
    assertTrue(g.problemLines() > 20, "hostile lines are kept: " + g.problemLines());

    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(SampleSubmissions.DATANETS_YAML, "datanets.yaml"));
    IngestSummary s = new SubmissionIngestJob(lakehouse).run(out.resolve("landing").toUri());
    assertEquals(g.lines(), s.lines(), s.render());
    assertTrue(s.quarantined() >= g.problemLines() / 2, () -> "the hostile lines still reach the quarantine: " + s.render());

    Map<String, Row> records = new HashMap<>();
    for (Row r : lakehouse.read(Tables.RECORDS).collectAsList()) {
      records.put(r.getAs("record_id"), r);
    }
    List<String> lines = Files.readAllLines(out.resolve(SampleSubmissions.QUESTIONS));
    assertEquals(240, lines.size());
    Set<String> kinds = new HashSet<>();
    for (String line : lines) {
      JsonNode q = JSON.readTree(line);
      Row record = records.get(q.get("record_id").asText());
      assertTrue(record != null, () -> "the record a question is about was not accepted: " + line + "\n" + quarantined(q.get("source").asText()));
      assertEquals(q.get("owner").asText().toLowerCase(), record.<String>getAs("contributor"), line);
      assertEquals(q.get("datanet").asText(), record.getAs("datanet"));
      String content = content(record);
      kinds.add(record.getAs("kind"));
      for (JsonNode phrase : q.get("expected")) {
        assertTrue(content.contains(phrase.asText()), () -> "the record states '" + phrase.asText() + "': " + content);
      }
      String entity = q.get("entity").asText();
      assertTrue(q.get("question").asText().contains(entity), line);
      String name = entity.split(" ")[0];
      assertTrue(!q.get("unnamed_question").asText().contains(name), () -> "the unnamed question does not name " + name + ": " + line);
      List<Row> stating = records.values().stream().filter(r -> content(r).contains(entity)).toList();
      assertEquals(1, stating.size(), () -> "one accepted record is about " + entity + ": " + stating);
    }
    assertEquals(Set.of("qa", "text"), kinds);
  }

  private static String content(Row record) {
    return record.getAs("prompt") + " " + record.getAs("completion") + " " + record.getAs("text");
  }

  /** The quarantine rows of a landing line named as {@code landing/FILE:LINE}. */
  private List<Row> quarantined(String source) {
    String file = source.substring(0, source.lastIndexOf(':')).replace("landing/", "");
    String line = source.substring(source.lastIndexOf(':') + 1);
    return lakehouse.read(Tables.QUARANTINE).where("source_file LIKE '%/" + file + "' AND line_no = " + line).select("reasons", "detail").collectAsList();
  }

  @Test
  void madeUpNamesAreDistinctAndFactsAreDeterministic() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      assertTrue(names.add(SampleFacts.name(i)), "name " + i + " repeats: " + SampleFacts.name(i));
    }
    for (String datanet : SampleFacts.DATANETS) {
      assertEquals(SampleFacts.of(datanet, 7, new SplittableRandom(5)), SampleFacts.of(datanet, 7, new SplittableRandom(5)));
    }
  }

  @Test
  void distinctRecordsStayUnderTheNearDuplicateThreshold() {
    // A large DataNet (rarity well estimated) and many small ones (few records to estimate it from:
    // the sample's own few hundred records once held two that differed only in name and year).
    for (String datanet : SampleFacts.DATANETS) {
      double large = maxSimilarity(datanet, 1000, 11);
      assertTrue(large < DataNetPolicy.DEFAULT_NEAR_DUPLICATE_SIMILARITY - 0.03, datanet + ": two of 1,000 distinct records reach a similarity of " + large);
      for (long seed = 1; seed <= 300; seed++) {
        double small = maxSimilarity(datanet, 80, seed);
        assertTrue(small < DataNetPolicy.DEFAULT_NEAR_DUPLICATE_SIMILARITY - 0.03,
            datanet + ": two of 80 distinct records (seed " + seed + ") reach a similarity of " + small);
      }
    }
  }

  /** The highest similarity between two of {@code records} distinct records drawn for {@code datanet}. */
  private static double maxSimilarity(String datanet, int records, long seed) {
    SampleFacts.Draws draws = new SampleFacts.Draws(new SplittableRandom(seed));
    List<long[]> shingles = new java.util.ArrayList<>();
    for (int i = 0; i < records; i++) {
      SampleFacts.Fact f = draws.next(datanet, i);
      shingles.add(ContentFingerprint.shingles(ContentChecks.trainingText(f.prompt(), f.completion(), f.text())));
    }
    ShingleFrequencies frequencies = frequencies(shingles);
    double max = 0;
    for (int i = 0; i < shingles.size(); i++) {
      for (int j = 0; j < i; j++) {
        max = Math.max(max, frequencies.similarity(shingles.get(i), shingles.get(j)));
      }
    }
    return max;
  }

  private static ShingleFrequencies frequencies(List<long[]> records) {
    java.util.TreeMap<Long, Integer> holders = new java.util.TreeMap<>();
    for (long[] r : records) {
      for (long s : r) {
        holders.merge(s, 1, Integer::sum);
      }
    }
    holders.values().removeIf(c -> c < 2);
    return new ShingleFrequencies(records.size(), holders.keySet().stream().mapToLong(Long::longValue).toArray(),
        holders.values().stream().mapToInt(Integer::intValue).toArray());
  }
}
