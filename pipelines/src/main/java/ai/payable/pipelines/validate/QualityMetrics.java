package ai.payable.pipelines.validate;

import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.QualityRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Gopher statistics of a text (Rae et al. 2021, appendix A), one value per {@link QualityRule},
 * computed as datatrove's Gopher filters compute them, with three deliberate differences: words
 * are whitespace-separated tokens with their edge punctuation stripped (datatrove's tokenizer
 * splits punctuation into tokens of its own); stop words are matched without case; and the
 * top-n-gram rules count an n-gram only when it occurs twice or more, since a record of 20 words
 * (a DataNet's usual minimum, where Gopher's is 50) would otherwise fail on any single 4-gram.
 *
 * @param words number of words (tokens with a letter or digit)
 * @param values the statistic of every rule
 */
public record QualityMetrics(int words, Map<QualityRule, Double> values) {

  private static final Set<String> BULLETS = Set.of("-", "*", "•", "‣", "◦", "–", "·");
  private static final Set<String> STOP_WORDS = Set.of("the", "be", "to", "of", "and", "that", "have", "with");
  private static final Pattern LINES = Pattern.compile("\n+");
  private static final Pattern PARAGRAPHS = Pattern.compile("\n{2,}");
  private static final Pattern EDGE_PUNCTUATION = Pattern.compile("^[\\p{P}\\p{S}]+|[\\p{P}\\p{S}]+$");

  public QualityMetrics {
    values = Collections.unmodifiableMap(new EnumMap<>(values));
  }

  /** Computes every statistic of {@code text}. */
  public static QualityMetrics of(String text) {
    String[] tokens = text.isBlank() ? new String[0] : text.trim().split("\\s+");
    List<String> words = new ArrayList<>();
    long letters = 0;
    int alphaTokens = 0;
    Set<String> stopWords = new HashSet<>();
    for (String token : tokens) {
      if (token.codePoints().anyMatch(Character::isLetter)) {
        alphaTokens++;
      }
      String word = EDGE_PUNCTUATION.matcher(token).replaceAll("");
      if (!word.isEmpty()) {
        words.add(word);
        letters += word.length();
        String lower = word.toLowerCase(Locale.ROOT);
        if (STOP_WORDS.contains(lower)) {
          stopWords.add(lower);
        }
      }
    }
    int perWord = Math.max(tokens.length, 1);
    double chars = Math.max(text.length(), 1);
    Map<QualityRule, Double> v = new EnumMap<>(QualityRule.class);
    double meanLength = words.isEmpty() ? 0 : (double) letters / words.size();
    v.put(QualityRule.MIN_MEAN_WORD_LENGTH, meanLength);
    v.put(QualityRule.MAX_MEAN_WORD_LENGTH, meanLength);
    v.put(QualityRule.MAX_HASH_WORD_RATIO, (double) count(text, "#") / perWord);
    v.put(QualityRule.MAX_ELLIPSIS_WORD_RATIO, (double) (count(text, "...") + count(text, "…")) / perWord);
    v.put(QualityRule.MIN_ALPHA_WORD_FRACTION, tokens.length == 0 ? 0 : (double) alphaTokens / tokens.length);
    v.put(QualityRule.MIN_STOP_WORDS, (double) stopWords.size());

    List<String> allLines = text.lines().toList();
    List<String> nonEmpty = allLines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    v.put(QualityRule.MAX_BULLET_LINE_RATIO,
        nonEmpty.isEmpty() ? 0 : (double) nonEmpty.stream().filter(l -> BULLETS.stream().anyMatch(l::startsWith)).count() / nonEmpty.size());
    v.put(QualityRule.MAX_ELLIPSIS_LINE_RATIO,
        nonEmpty.isEmpty() ? 0 : (double) nonEmpty.stream().filter(l -> l.endsWith("...") || l.endsWith("…")).count() / nonEmpty.size());

    long[] lines = repeats(LINES.split(text));
    long[] paragraphs = repeats(PARAGRAPHS.split(text.strip()));
    v.put(QualityRule.MAX_DUPLICATE_LINE_FRACTION, lines[2] == 0 ? 0 : (double) lines[0] / lines[2]);
    v.put(QualityRule.MAX_DUPLICATE_LINE_CHAR_FRACTION, lines[1] / chars);
    v.put(QualityRule.MAX_DUPLICATE_PARAGRAPH_FRACTION, paragraphs[2] == 0 ? 0 : (double) paragraphs[0] / paragraphs[2]);
    v.put(QualityRule.MAX_DUPLICATE_PARAGRAPH_CHAR_FRACTION, paragraphs[1] / chars);

    v.put(QualityRule.MAX_TOP_2GRAM_FRACTION, topNgramChars(words, 2) / chars);
    v.put(QualityRule.MAX_TOP_3GRAM_FRACTION, topNgramChars(words, 3) / chars);
    v.put(QualityRule.MAX_TOP_4GRAM_FRACTION, topNgramChars(words, 4) / chars);
    v.put(QualityRule.MAX_DUPLICATE_5GRAM_FRACTION, duplicateNgramChars(words, 5) / chars);
    v.put(QualityRule.MAX_DUPLICATE_6GRAM_FRACTION, duplicateNgramChars(words, 6) / chars);
    v.put(QualityRule.MAX_DUPLICATE_7GRAM_FRACTION, duplicateNgramChars(words, 7) / chars);
    v.put(QualityRule.MAX_DUPLICATE_8GRAM_FRACTION, duplicateNgramChars(words, 8) / chars);
    v.put(QualityRule.MAX_DUPLICATE_9GRAM_FRACTION, duplicateNgramChars(words, 9) / chars);
    v.put(QualityRule.MAX_DUPLICATE_10GRAM_FRACTION, duplicateNgramChars(words, 10) / chars);
    return new QualityMetrics(words.size(), v);
  }

  /** The statistic {@code rule} tests. */
  public double value(QualityRule rule) {
    return values.get(rule);
  }

  /** Mean word length in characters. */
  public double meanWordLength() {
    return value(QualityRule.MAX_MEAN_WORD_LENGTH);
  }

  /** The larger of the '#' and ellipsis ratios per word. */
  public double symbolRatio() {
    return Math.max(value(QualityRule.MAX_HASH_WORD_RATIO), value(QualityRule.MAX_ELLIPSIS_WORD_RATIO));
  }

  /** The rules this text breaks under {@code policy}, as "key: value above/below threshold"; empty if none. */
  public List<String> failures(DataNetPolicy policy) {
    List<String> out = new ArrayList<>();
    for (QualityRule rule : QualityRule.values()) {
      if (words == 0 && (rule == QualityRule.MIN_MEAN_WORD_LENGTH || rule == QualityRule.MIN_ALPHA_WORD_FRACTION)) {
        continue; // an empty text is TOO_SHORT, not also of low quality
      }
      double value = value(rule);
      double threshold = policy.threshold(rule);
      if (rule.breaks(value, threshold)) {
        out.add(String.format(Locale.ROOT, "%s: %s %s %s %s", rule.key(), rule.measures(), format(value),
            rule.bound() == QualityRule.Bound.MIN ? "below" : "above", format(threshold)));
      }
    }
    return out;
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e6 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  /** {repeated elements, characters in repeated elements, elements} of a split text. */
  private static long[] repeats(String[] elements) {
    Set<String> seen = new HashSet<>();
    long repeated = 0;
    long repeatedChars = 0;
    for (String e : elements) {
      if (!seen.add(e)) {
        repeated++;
        repeatedChars += e.length();
      }
    }
    return new long[] {repeated, repeatedChars, elements.length};
  }

  /** Characters (words joined by spaces) times occurrences of the most frequent n-gram seen twice or more. */
  private static double topNgramChars(List<String> words, int n) {
    Map<String, Integer> counts = new HashMap<>();
    long best = 0;
    for (int i = 0; i + n <= words.size(); i++) {
      String gram = String.join(" ", words.subList(i, i + n));
      int c = counts.merge(gram, 1, Integer::sum);
      if (c >= 2) {
        best = Math.max(best, (long) c * gram.length());
      }
    }
    return best;
  }

  /**
   * Characters of the words in repeated n-grams: scanning left to right, an n-gram seen before
   * counts its characters and the scan jumps past it, so overlapping repeats are not counted twice.
   */
  private static double duplicateNgramChars(List<String> words, int n) {
    Set<String> seen = new HashSet<>();
    long repeated = 0;
    int i = 0;
    while (i + n <= words.size()) {
      String gram = String.join("", words.subList(i, i + n));
      if (seen.add(gram)) {
        i++;
      } else {
        repeated += gram.length();
        i += n;
      }
    }
    return repeated;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
