package ai.payable.pipelines.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The light edits a copier makes to pass someone else's record off as their own: swapped, added and
 * dropped words, sentences in another order, changed case and punctuation, or the record pasted
 * inside a longer text. The copy-detection benchmark and tests use them to measure what copy
 * detection catches at each edit rate. Deterministic for a given random generator.
 */
public final class LightEdits {

  /** What a copier does to the record. */
  public enum Kind {
    /** Replaces a share of the words with other words. */
    SUBSTITUTE,
    /** Inserts new words at random places. */
    INSERT,
    /** Drops words. */
    DELETE,
    /** Substitutions, insertions and deletions mixed. */
    MIXED,
    /** Puts the sentences in another order; the rate is not used. */
    REORDER_SENTENCES,
    /** Changes the case of words, doubles spaces, drops and adds punctuation; no word changes. */
    CASE_AND_PUNCTUATION,
    /** Pastes the whole record between two halves of another text; the rate is not used. */
    EMBED;

    /** Whether {@code rate} changes what this kind does. */
    public boolean usesRate() {
      return this == SUBSTITUTE || this == INSERT || this == DELETE || this == MIXED;
    }
  }

  // Words a copier reaches for: fillers, hedges and synonyms of common phrasing.
  private static final String[] WORDS = (
      "a few several seldom rarely often usually generally typically mostly about roughly around nearly also then "
          + "still even just quite very fairly really clearly simply indeed however therefore moreover instead "
          + "patient person case treatment course plan visit week day time period dose area skin field crop soil "
          + "court party claim clause contract notice term judge ruling matter issue point result outcome effect "
          + "apply use give take keep start stop check review see note record report expect need allow make")
      .split(" ");

  private LightEdits() {}

  /**
   * {@code text} after edits of {@code kind}; for word edits, {@code rate} of its words (at least
   * one) are changed. {@code other} is the longer text an {@link Kind#EMBED} copy is pasted into.
   */
  public static String apply(Kind kind, String text, double rate, String other, SplittableRandom random) {
    List<String> words = new ArrayList<>(Arrays.asList(text.trim().split("\\s+")));
    int edits = (int) Math.max(1, Math.round(rate * words.size()));
    switch (kind) {
      case SUBSTITUTE -> substitute(words, edits, random);
      case INSERT -> insert(words, edits, random);
      case DELETE -> delete(words, edits, random);
      case MIXED -> {
        for (int e = 0; e < edits; e++) {
          switch (random.nextInt(3)) {
            case 0 -> substitute(words, 1, random);
            case 1 -> insert(words, 1, random);
            default -> delete(words, 1, random);
          }
        }
      }
      case REORDER_SENTENCES -> {
        List<String> sentences = new ArrayList<>(Arrays.asList(text.trim().split("(?<=[.?!])\\s+")));
        if (sentences.size() < 2) {
          return text;
        }
        List<String> shuffled = new ArrayList<>(sentences);
        while (shuffled.equals(sentences)) {
          Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
        }
        return String.join(" ", shuffled);
      }
      case CASE_AND_PUNCTUATION -> {
        StringBuilder out = new StringBuilder();
        for (String w : words) {
          String word = switch (random.nextInt(6)) {
            case 0 -> w.toUpperCase(Locale.ROOT);
            case 1 -> w.replaceAll("[,.;:!?]", "");
            case 2 -> w + ",";
            default -> w;
          };
          out.append(word).append(random.nextInt(5) == 0 ? "  " : " ");
        }
        return out.toString().trim();
      }
      case EMBED -> {
        String[] host = other.trim().split("\\s+");
        int half = host.length / 2;
        return String.join(" ", Arrays.copyOfRange(host, 0, half)) + " " + text.trim() + " "
            + String.join(" ", Arrays.copyOfRange(host, half, host.length));
      }
    }
    return String.join(" ", words);
  }

  private static void substitute(List<String> words, int edits, SplittableRandom random) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      positions.add(i);
    }
    Collections.shuffle(positions, new java.util.Random(random.nextLong()));
    for (int i = 0; i < Math.min(edits, positions.size()); i++) {
      int at = positions.get(i);
      String replacement = word(random);
      while (replacement.equalsIgnoreCase(words.get(at))) {
        replacement = word(random);
      }
      words.set(at, replacement);
    }
  }

  private static void insert(List<String> words, int edits, SplittableRandom random) {
    for (int e = 0; e < edits; e++) {
      words.add(random.nextInt(words.size() + 1), word(random));
    }
  }

  private static void delete(List<String> words, int edits, SplittableRandom random) {
    for (int e = 0; e < edits && words.size() > 1; e++) {
      words.remove(random.nextInt(words.size()));
    }
  }

  private static String word(SplittableRandom random) {
    return WORDS[random.nextInt(WORDS.length)];
  }
}
