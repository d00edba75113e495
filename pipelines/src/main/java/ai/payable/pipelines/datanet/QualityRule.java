package ai.payable.pipelines.datanet;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Gopher quality and repetition rules (Rae et al. 2021, appendix A, table A1, as datatrove's
 * {@code GopherQualityFilter} and {@code GopherRepetitionFilter} implement them), each with the
 * DataNet policy key that sets its threshold and the paper's default (one measured exception:
 * {@link #MIN_STOP_WORDS}). A record breaking any of them
 * is quarantined as {@code LOW_QUALITY}, the detail naming each rule broken, its value and its
 * threshold.
 */
public enum QualityRule {
  MIN_MEAN_WORD_LENGTH("min_mean_word_length", 3, Bound.MIN, 0, 100, "mean word length"),
  MAX_MEAN_WORD_LENGTH("max_mean_word_length", 10, Bound.MAX, 1, 1000, "mean word length"),
  MAX_HASH_WORD_RATIO("max_hash_word_ratio", 0.1, Bound.MAX, 0, 100, "'#' per word"),
  MAX_ELLIPSIS_WORD_RATIO("max_ellipsis_word_ratio", 0.1, Bound.MAX, 0, 100, "ellipses per word"),
  MAX_BULLET_LINE_RATIO("max_bullet_line_ratio", 0.9, Bound.MAX, 0, 1, "share of lines starting with a bullet"),
  MAX_ELLIPSIS_LINE_RATIO("max_ellipsis_line_ratio", 0.3, Bound.MAX, 0, 1, "share of lines ending with an ellipsis"),
  MIN_ALPHA_WORD_FRACTION("min_alpha_word_fraction", 0.8, Bound.MIN, 0, 1, "share of words with a letter"),
  // Gopher asks for 2 in web pages of 50+ words; terse expert answers (8% of the sample DataNets'
  // answers, e.g. "apply X gel once a day for 6 days. Review the patient ...") use only "the".
  MIN_STOP_WORDS("min_stop_words", 1, Bound.MIN, 0, 8, "distinct stop words (the, be, to, of, and, that, have, with)"),
  MAX_DUPLICATE_LINE_FRACTION("max_duplicate_line_fraction", 0.3, Bound.MAX, 0, 1, "share of lines repeating an earlier line"),
  MAX_DUPLICATE_PARAGRAPH_FRACTION("max_duplicate_paragraph_fraction", 0.3, Bound.MAX, 0, 1, "share of paragraphs repeating an earlier one"),
  MAX_DUPLICATE_LINE_CHAR_FRACTION("max_duplicate_line_char_fraction", 0.2, Bound.MAX, 0, 1, "share of characters in repeated lines"),
  MAX_DUPLICATE_PARAGRAPH_CHAR_FRACTION("max_duplicate_paragraph_char_fraction", 0.2, Bound.MAX, 0, 1, "share of characters in repeated paragraphs"),
  MAX_TOP_2GRAM_FRACTION("max_top_2gram_fraction", 0.2, Bound.MAX, 0, 1, "share of characters in the most frequent word 2-gram"),
  MAX_TOP_3GRAM_FRACTION("max_top_3gram_fraction", 0.18, Bound.MAX, 0, 1, "share of characters in the most frequent word 3-gram"),
  MAX_TOP_4GRAM_FRACTION("max_top_4gram_fraction", 0.16, Bound.MAX, 0, 1, "share of characters in the most frequent word 4-gram"),
  MAX_DUPLICATE_5GRAM_FRACTION("max_duplicate_5gram_fraction", 0.15, Bound.MAX, 0, 1, "share of characters in repeated word 5-grams"),
  MAX_DUPLICATE_6GRAM_FRACTION("max_duplicate_6gram_fraction", 0.14, Bound.MAX, 0, 1, "share of characters in repeated word 6-grams"),
  MAX_DUPLICATE_7GRAM_FRACTION("max_duplicate_7gram_fraction", 0.13, Bound.MAX, 0, 1, "share of characters in repeated word 7-grams"),
  MAX_DUPLICATE_8GRAM_FRACTION("max_duplicate_8gram_fraction", 0.12, Bound.MAX, 0, 1, "share of characters in repeated word 8-grams"),
  MAX_DUPLICATE_9GRAM_FRACTION("max_duplicate_9gram_fraction", 0.11, Bound.MAX, 0, 1, "share of characters in repeated word 9-grams"),
  MAX_DUPLICATE_10GRAM_FRACTION("max_duplicate_10gram_fraction", 0.10, Bound.MAX, 0, 1, "share of characters in repeated word 10-grams");

  /** Whether the threshold is a floor or a ceiling. */
  public enum Bound {
    MIN,
    MAX
  }

  private final String key;
  private final double defaultThreshold;
  private final Bound bound;
  private final double lowest;
  private final double highest;
  private final String measures;

  QualityRule(String key, double defaultThreshold, Bound bound, double lowest, double highest, String measures) {
    this.key = key;
    this.defaultThreshold = defaultThreshold;
    this.bound = bound;
    this.lowest = lowest;
    this.highest = highest;
    this.measures = measures;
  }

  /** The DataNet policy key (YAML and the {@code datanets} table) that sets this rule's threshold. */
  public String key() {
    return key;
  }

  /** The threshold of Rae et al. 2021, used when a DataNet does not set one. */
  public double defaultThreshold() {
    return defaultThreshold;
  }

  public Bound bound() {
    return bound;
  }

  /** The smallest threshold a policy may set. */
  public double lowest() {
    return lowest;
  }

  /** The largest threshold a policy may set. */
  public double highest() {
    return highest;
  }

  /** What the rule measures, in words. */
  public String measures() {
    return measures;
  }

  /** Whether {@code value} breaks the rule at {@code threshold}. */
  public boolean breaks(double value, double threshold) {
    return bound == Bound.MIN ? value < threshold : value > threshold;
  }

  /** The rule a policy key names. */
  public static Optional<QualityRule> byKey(String key) {
    return Arrays.stream(values()).filter(r -> r.key.equals(key)).findFirst();
  }
}
