package ai.payable.training.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.sample.SampleFacts;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.infer.GroundedPrompt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** BM25 retrieval over a DataNet's records finds the record that owns the fact a question asks about. */
class RetrievalTest extends SparkTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void findsTheOwnersRecordAndIndexesEachRecordsVersionOnce() throws Exception {
    Path sample = scratch.resolve("sample");
    SampleSubmissions.write(sample, 300, 6, 0.1, "2026-11-20", 5);
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(SampleSubmissions.DATANETS_YAML, "sample.yaml"));
    new SubmissionIngestJob(lakehouse).run(sample.resolve("landing").toUri());
    Configuration hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    ArtifactStore store = ArtifactStore.at(scratch.resolve("models").toString(), hadoop);
    RecordIndex index = new RecordIndex(lakehouse, store, scratch.resolve("staging"), Progress.silent());
    long version = lakehouse.version(Tables.RECORDS);

    for (String datanet : SampleFacts.DATANETS) {
      RecordIndex.Result built = index.build(datanet);
      assertTrue(built.built());
      assertEquals(version, built.recordsVersion());
      assertEquals(lakehouse.read(Tables.RECORDS).where("datanet = '" + datanet + "'").count(), built.records());
      RecordIndex.Result again = index.build(datanet);
      assertTrue(!again.built(), "a second build for the same records version does nothing");
      assertEquals(built.folder(), again.folder());
    }
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> index.build("astrology"));
    assertTrue(none.getMessage().contains("DataNet 'astrology' has no accepted records"), none.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> Retriever.open(store, List.of("astrology"), scratch.resolve("cache"), hadoop));
    assertTrue(missing.getMessage().contains("DataNet 'astrology' has no retrieval index"), missing.getMessage());

    // Recall of the owner's record over the sample's questions, one DataNet's index at a time and
    // all three merged.
    List<JsonNode> questions = Files.readAllLines(sample.resolve(SampleSubmissions.QUESTIONS)).stream().map(RetrievalTest::json).toList();
    int atOne = 0;
    int atFive = 0;
    int mergedAtOne = 0;
    int unnamedAtOne = 0;
    int unnamedAtFive = 0;
    try (Retriever all = Retriever.open(store, SampleFacts.DATANETS, scratch.resolve("cache"), hadoop)) {
      for (JsonNode q : questions) {
        try (Retriever own = Retriever.open(store, List.of(q.get("datanet").asText()), scratch.resolve("cache"), hadoop)) {
          List<Retriever.Hit> hits = own.search(q.get("question").asText(), 5);
          assertEquals(5, hits.size());
          for (int i = 0; i < hits.size(); i++) {
            assertEquals(i + 1, hits.get(i).rank());
            assertTrue(i == 0 || hits.get(i - 1).score() >= hits.get(i).score(), "best first");
          }
          String owner = q.get("record_id").asText();
          atOne += hits.get(0).recordId().equals(owner) ? 1 : 0;
          atFive += hits.stream().anyMatch(h -> h.recordId().equals(owner)) ? 1 : 0;
          List<Retriever.Hit> unnamed = own.search(q.get("unnamed_question").asText(), 5);
          unnamedAtOne += unnamed.get(0).recordId().equals(owner) ? 1 : 0;
          unnamedAtFive += unnamed.stream().anyMatch(h -> h.recordId().equals(owner)) ? 1 : 0;
          Retriever.Hit top = all.search(q.get("question").asText(), 1).get(0);
          mergedAtOne += top.recordId().equals(owner) ? 1 : 0;
          if (top.recordId().equals(owner)) {
            assertEquals(q.get("owner").asText().toLowerCase(Locale.ROOT), top.contributor());
          }
        }
      }
    }
    double recall1 = atOne / (double) questions.size();
    double recall5 = atFive / (double) questions.size();
    System.out.printf(Locale.ROOT, "retrieval over %d sample questions: recall@1 %.3f, recall@5 %.3f, recall@1 over the three DataNets merged %.3f; "
        + "without the entity's name: recall@1 %.3f, recall@5 %.3f%n", questions.size(), recall1, recall5, mergedAtOne / (double) questions.size(),
        unnamedAtOne / (double) questions.size(), unnamedAtFive / (double) questions.size());
    assertTrue(recall5 >= 0.9, "recall@5 " + recall5);
    assertTrue(recall1 >= 0.8, "recall@1 " + recall1);
    assertTrue(unnamedAtFive / (double) questions.size() >= 0.9, "recall@5 without the entity's name " + unnamedAtFive);

    // New records make a new version and a new index, which becomes the latest.
    SampleSubmissions.write(scratch.resolve("more"), 30, 3, 0.0, "2026-11-21", 9);
    new SubmissionIngestJob(lakehouse).run(scratch.resolve("more/landing").toUri());
    RecordIndex.Result newer = index.build("agronomy");
    assertTrue(newer.built() && newer.recordsVersion() > version);
    assertEquals(newer.folder().toString(), RecordIndex.latest(store, "agronomy", hadoop).orElseThrow());
  }

  @Test
  void groundedPromptsKeepTheBestRecordsThatFitTheBudget() {
    ChatFormat format = ChatFormat.bytes();
    List<Retriever.Hit> hits = List.of(new Retriever.Hit("0x01", "0xa", 3.0, 1, "Velaran dermatitis is treated with Kerolin cream for 9 days."),
        new Retriever.Hit("0x02", "0xb", 2.0, 2, "Marabran rash is treated with Talavex gel for 12 days."),
        new Retriever.Hit("0x03", "0xc", 1.0, 3, "x".repeat(5000)));
    String question = "How is Velaran dermatitis treated?";
    int plain = format.prompt(question).length;
    GroundedPrompt.Built roomy = GroundedPrompt.build(format, question, hits, 100_000);
    assertEquals(hits, roomy.used());
    assertTrue(roomy.tokens().length < plain + 1400 + 2 * 60 + 200, "each record is cut to " + GroundedPrompt.RECORD_CHARS + " characters");
    GroundedPrompt.Built tight = GroundedPrompt.build(format, question, hits, plain + 200);
    assertEquals(hits.subList(0, 2), tight.used(), "the lowest-ranked record that does not fit is left out");
    assertTrue(tight.tokens().length <= plain + 200);
    String rendered = format.decode(tight.tokens());
    assertTrue(rendered.contains("Marabran rash is treated with Talavex gel for 12 days.\n\nVelaran dermatitis is treated with Kerolin cream for 9 days.\n\n"
        + question) && !rendered.contains("xxx"), "best record last, next to the question, the third left out: " + rendered);
    assertEquals(List.of(), GroundedPrompt.build(format, question, hits, plain).used(), "no room: the question alone");
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
