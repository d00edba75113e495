package ai.payable.training.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small, deterministic training text for tests: templated sentences from a few domains. */
public final class TinyCorpus {

  private static final String[] SUBJECTS = {"the farmer", "a nurse", "the pilot", "our chef", "the judge", "a student"};
  private static final String[] VERBS = {"checks", "records", "plans", "reviews", "measures", "prepares"};
  private static final String[] OBJECTS = {"the soil", "the dose", "the route", "the sauce", "the case", "the essay"};
  private static final String[] ENDINGS = {"every morning.", "before noon.", "with care.", "twice a week.", "after lunch."};

  private TinyCorpus() {}

  /** Byte-level documents of {@code texts} ({@code <s>} text {@code </s>}), at most {@code max} tokens each. */
  public static List<ai.payable.training.chat.TokenSequence> documents(List<String> texts, int max) {
    ai.payable.training.tokenizer.ByteTokenizer tokenizer = new ai.payable.training.tokenizer.ByteTokenizer();
    return texts.stream().map(t -> ai.payable.training.chat.TokenSequence.document(tokenizer.encode(t, true, max))).toList();
  }

  /** {@code n} sentences drawn with {@code seed}. */
  public static List<String> sentences(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(SUBJECTS[r.nextInt(SUBJECTS.length)] + " " + VERBS[r.nextInt(VERBS.length)] + " " + OBJECTS[r.nextInt(OBJECTS.length)] + " "
          + ENDINGS[r.nextInt(ENDINGS.length)]);
    }
    return out;
  }
}
