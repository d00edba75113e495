package ai.payable.pipelines.sample;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic English question/answer text for sample DataNets: plausible enough for the
 * language identifier and the Gopher rules, varied enough that distinct records are not near
 * duplicates. Used by the demo, the benchmark and the tests.
 */
public final class SampleText {

  private static final Map<String, List<String>> TOPICS =
      Map.of(
          "dermatology",
          List.of("eczema", "psoriasis", "sunscreen", "acne", "rosacea", "moisturizer", "retinoid", "rash", "melanoma", "dermatitis", "sunburn", "itching"),
          "contracts",
          List.of("indemnity", "liability", "termination", "warranty", "arbitration", "jurisdiction", "confidentiality", "assignment", "breach", "remedy", "clause", "notice"),
          "agronomy",
          List.of("irrigation", "nitrogen", "compost", "rotation", "drought", "seedlings", "pesticide", "mulch", "harvest", "tillage", "fertilizer", "soil"));

  private static final List<String> SUBJECTS =
      List.of("a patient", "a beginner", "the team", "an expert", "a family", "the client", "a student", "the owner", "a small farm", "the reviewer");
  private static final List<String> VERBS =
      List.of("manage", "reduce", "improve", "check", "compare", "prevent", "explain", "measure", "schedule", "document", "review", "choose");
  private static final List<String> QUALIFIERS =
      List.of("during the first week", "after a long winter", "when the budget is tight", "before the next visit", "in humid weather",
          "with limited time", "for the long term", "without expensive tools", "at the start of the season", "under strict deadlines");
  private static final List<String> ADVICE =
      List.of("Start with the simplest option and keep careful notes",
          "Most guidance suggests a gradual approach over several weeks",
          "It helps to compare two methods side by side before deciding",
          "Ask a qualified professional when the signs do not improve",
          "Keep the routine consistent and avoid sudden changes",
          "Write down what changed each day so patterns become clear",
          "Small adjustments usually work better than drastic ones",
          "Read the label or the agreement twice before acting",
          "Plan a follow up review after a reasonable period",
          "Budget for the unexpected and leave some room in the schedule");

  private SampleText() {}

  /** The sample DataNet ids. */
  public static List<String> datanets() {
    return List.of("dermatology", "contracts", "agronomy");
  }

  /** A question for {@code datanet}, drawn from {@code random}. */
  public static String question(String datanet, SplittableRandom random) {
    String topic = pick(TOPICS.get(datanet), random);
    return "How should " + pick(SUBJECTS, random) + " " + pick(VERBS, random) + " " + topic + " " + pick(QUALIFIERS, random)
        + ", and what matters most about " + pick(TOPICS.get(datanet), random) + "?";
  }

  /** An answer of three to five sentences for {@code datanet}. */
  public static String answer(String datanet, SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    int sentences = 3 + random.nextInt(3);
    for (int i = 0; i < sentences; i++) {
      sb.append(pick(ADVICE, random)).append(" when you ").append(pick(VERBS, random)).append(' ')
          .append(pick(TOPICS.get(datanet), random)).append(' ').append(pick(QUALIFIERS, random)).append(". ");
    }
    return sb.toString().strip();
  }

  private static String pick(List<String> options, SplittableRandom random) {
    return options.get(random.nextInt(options.size()));
  }
}
