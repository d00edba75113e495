package ai.payable.cli.demo;

import ai.payable.pipelines.sample.SampleQuestion;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The questions the demo's users ask on one day, and the prompt file the gateway answers them from.
 * Each DataNet gets the same mix, interleaved so that every batch mixes adapters: most questions go
 * to the DataNet's adapter with retrieval, one in four to the adapter without it (closed book), and
 * one in four to the plain base model, whose answers no DataNet paid for. The owner of each fact
 * stays here; the prompt file carries only the question.
 */
final class DemoQuestions {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoQuestions() {}

  /** How a question is put to the gateway. */
  enum Route {
    /** The DataNet's adapter, with its records retrieved into the prompt. */
    GROUNDED("adapter + retrieval"),
    /** The DataNet's adapter, from what it learned alone. */
    CLOSED_BOOK("adapter, closed book"),
    /** The base model, no DataNet involved. */
    BASE("base model");

    final String title;

    Route(String title) {
      this.title = title;
    }
  }

  /**
   * One question as asked.
   *
   * @param adapter the adapter's name, or null for the base model
   * @param retrieve records to retrieve into the prompt
   */
  record Asked(SampleQuestion question, Route route, String adapter, int retrieve, BigInteger feeWei) {}

  /**
   * Picks {@code perDataNet} questions per DataNet for day number {@code day} (1, 2, …), skipping
   * {@code used} ones and questions about records that did not pass validation; the same inputs
   * give the same picks.
   *
   * @param adapterOf the adapter serving each DataNet (DataNets without one are not asked about)
   */
  static List<Asked> pick(List<SampleQuestion> all, Set<String> accepted, Set<String> used, Map<String, String> adapterOf, int perDataNet,
      int day, int retrieve) {
    List<List<SampleQuestion>> perNet = new ArrayList<>();
    for (String datanet : adapterOf.keySet()) {
      perNet.add(all.stream()
          .filter(q -> q.datanet().equals(datanet) && accepted.contains(q.recordId()) && !used.contains(q.recordId()))
          .sorted(Comparator.comparing((SampleQuestion q) -> Integer.toUnsignedString((q.recordId() + "|" + day).hashCode())).thenComparing(SampleQuestion::recordId))
          .limit(perDataNet).toList());
    }
    List<Asked> asked = new ArrayList<>();
    for (int j = 0; j < perDataNet; j++) {
      for (List<SampleQuestion> questions : perNet) {
        if (j >= questions.size()) {
          continue;
        }
        SampleQuestion q = questions.get(j);
        Route route = switch (j % 4) {
          case 1 -> Route.CLOSED_BOOK;
          case 3 -> Route.BASE;
          default -> Route.GROUNDED;
        };
        BigInteger fee = BigInteger.TEN.pow(15).multiply(BigInteger.valueOf(1 + asked.size() % 3)); // 1 to 3 finney
        asked.add(new Asked(q, route, route == Route.BASE ? null : adapterOf.get(q.datanet()), route == Route.GROUNDED ? retrieve : 0, fee));
      }
    }
    return asked;
  }

  /** Writes the prompt file the gateway reads: question, adapter, records to retrieve, fee and requester. */
  static Path write(List<Asked> asked, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < asked.size(); i++) {
        Asked a = asked.get(i);
        ObjectNode line = JSON.createObjectNode();
        line.put("prompt", a.question().question());
        if (a.adapter() != null) {
          line.put("adapter", a.adapter());
        }
        line.put("retrieve", a.retrieve());
        line.put("fee_wei", a.feeWei().toString());
        line.put("requester", String.format("0x%040x", 0xa11ce + i % 5));
        out.write(JSON.writeValueAsString(line));
        out.write('\n');
      }
    }
    return file;
  }
}
