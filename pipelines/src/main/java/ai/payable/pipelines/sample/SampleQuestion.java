package ai.payable.pipelines.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A question about one sample record's facts, with the answer a person would check for and the
 * record's rightful owner: one line of {@link SampleSubmissions#QUESTIONS}. The owner is for
 * checking payouts; a gateway is only ever given {@link #question()}.
 *
 * @param datanet the DataNet the record belongs to
 * @param unnamedQuestion the same question without the entity's name (harder for retrieval)
 * @param expected phrases a right answer states
 * @param entity the made-up name the fact is about
 * @param owner the contributor who signed the record (checksummed)
 * @param recordId the record's id
 * @param source the landing file and line of the record
 */
public record SampleQuestion(String datanet, String question, String unnamedQuestion, List<String> expected, String entity, String owner, String recordId, String source) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public SampleQuestion {
    expected = List.copyOf(expected);
  }

  /** This question as one JSON line. */
  public String toJson() {
    ObjectNode q = JSON.createObjectNode();
    q.put("datanet", datanet);
    q.put("question", question);
    q.put("unnamed_question", unnamedQuestion);
    expected.forEach(q.putArray("expected")::add);
    q.put("entity", entity);
    q.put("owner", owner);
    q.put("record_id", recordId);
    q.put("source", source);
    return q.toString();
  }

  /** How many of the expected phrases {@code answer} states (case-insensitive). */
  public int phrasesStated(String answer) {
    String a = answer.toLowerCase(java.util.Locale.ROOT);
    return (int) expected.stream().filter(p -> a.contains(p.toLowerCase(java.util.Locale.ROOT))).count();
  }

  /** Reads a questions file; a bad line fails with the file and line. */
  public static List<SampleQuestion> read(Path file) throws IOException {
    List<SampleQuestion> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(lines.get(i));
        List<String> expected = new ArrayList<>();
        n.required("expected").forEach(e -> expected.add(e.asText()));
        out.add(new SampleQuestion(n.required("datanet").asText(), n.required("question").asText(), n.required("unnamed_question").asText(), expected,
            n.required("entity").asText(),
            n.required("owner").asText(), n.required("record_id").asText(), n.required("source").asText()));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a sample question: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    return out;
  }
}
