package ai.payable.training.infer;

import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.ChatTemplate;
import ai.payable.training.retrieval.Retriever;
import java.util.ArrayList;
import java.util.List;

/**
 * A question with the records retrieved for it, laid out through the model's chat template as one
 * user turn: the records first (best match last, next to the question; each cut to
 * {@value #RECORD_CHARS} characters, separated by blank lines), then the question. Best last because
 * small models lean on the text nearest the question: on 30 sample questions with two records
 * each, SmolLM2-135M-Instruct with its adapters stated every expected fact in 9 answers with the
 * best record first and in 21 with it last (benchmarks/RESULTS.md). No headers or instructions: with "Record 1:"
 * headers SmolLM2-135M-Instruct answered "Record 1:" and stopped, while records and question alone
 * drew fluent answers from the records; a single user turn also suits templates that refuse a
 * system role. The prompt must fit a token budget (the context less room for the answer):
 * records that do not fit are left out, lowest rank first, and only the records that made it into
 * the prompt are reported, since only those can have shaped the answer.
 */
public final class GroundedPrompt {

  /** The longest part of one record that goes into a prompt. */
  public static final int RECORD_CHARS = 1200;

  /**
   * A laid-out prompt.
   *
   * @param used the retrieved records in it, best first
   */
  public record Built(int[] tokens, List<Retriever.Hit> used) {}

  private GroundedPrompt() {}

  /** The user turn for {@code question} with {@code records}. */
  static String text(String question, List<Retriever.Hit> records) {
    if (records.isEmpty()) {
      return question;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = records.size() - 1; i >= 0; i--) {
      Retriever.Hit h = records.get(i);
      sb.append(h.text().length() <= RECORD_CHARS ? h.text() : h.text().substring(0, RECORD_CHARS) + "…").append("\n\n");
    }
    return sb.append(question).toString();
  }

  /** Lays out {@code question} with as many of {@code hits} (best first) as fit in {@code budget} tokens. */
  public static Built build(ChatFormat format, String question, List<Retriever.Hit> hits, int budget) {
    List<Retriever.Hit> used = new ArrayList<>(hits);
    while (true) {
      int[] tokens = format.prompt(List.of(new ChatTemplate.Message("user", text(question, used))));
      if (tokens.length <= budget || used.isEmpty()) {
        return new Built(tokens, List.copyOf(used));
      }
      used.remove(used.size() - 1);
    }
  }
}
