package ai.payable.pipelines.validate;

import ai.payable.pipelines.datanet.DataNetPolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Gopher-style quality heuristics (Rae et al. 2021, appendix A): cheap statistics of a text that
 * separate prose from boilerplate, lists, code dumps and spam.
 *
 * @param words number of whitespace-separated words
 * @param meanWordLength mean word length in characters
 * @param symbolRatio ('#' plus '...' occurrences) per word
 * @param bulletLineRatio share of non-empty lines starting with a bullet
 * @param duplicateLineFraction share of non-empty lines that repeat an earlier line
 * @param topNgramFraction share of word characters covered by the most frequent word 2-gram
 * @param alphaWordFraction share of words that contain a letter
 */
public record QualityMetrics(
    int words,
    double meanWordLength,
    double symbolRatio,
    double bulletLineRatio,
    double duplicateLineFraction,
    double topNgramFraction,
    double alphaWordFraction) {

  private static final Set<String> BULLETS = Set.of("-", "*", "•", "‣", "◦", "–", "·");

  /** Computes the metrics of {@code text}. */
  public static QualityMetrics of(String text) {
    String[] words = text.isBlank() ? new String[0] : text.trim().split("\\s+");
    long letters = 0;
    int alphaWords = 0;
    for (String w : words) {
      letters += w.length();
      if (w.codePoints().anyMatch(Character::isLetter)) {
        alphaWords++;
      }
    }
    int symbols = count(text, "#") + count(text, "...") + count(text, "…");
    List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    int bullets = 0;
    int duplicates = 0;
    Set<String> seen = new HashSet<>();
    for (String line : lines) {
      if (BULLETS.stream().anyMatch(line::startsWith)) {
        bullets++;
      }
      if (!seen.add(line)) {
        duplicates++;
      }
    }
    int n = Math.max(words.length, 1);
    return new QualityMetrics(
        words.length,
        words.length == 0 ? 0 : (double) letters / words.length,
        (double) symbols / n,
        lines.isEmpty() ? 0 : (double) bullets / lines.size(),
        lines.isEmpty() ? 0 : (double) duplicates / lines.size(),
        topBigramFraction(words, letters),
        words.length == 0 ? 0 : (double) alphaWords / words.length);
  }

  /** Messages for each threshold of {@code policy} this text breaks; empty if none. */
  public List<String> failures(DataNetPolicy policy) {
    List<String> out = new java.util.ArrayList<>();
    if (words > 0 && (meanWordLength < policy.minMeanWordLength() || meanWordLength > policy.maxMeanWordLength())) {
      out.add(String.format(Locale.ROOT, "mean word length %.2f outside [%.1f, %.1f]",
          meanWordLength, policy.minMeanWordLength(), policy.maxMeanWordLength()));
    }
    check(out, "symbol ratio", symbolRatio, policy.maxSymbolRatio());
    check(out, "bullet line ratio", bulletLineRatio, policy.maxBulletLineRatio());
    check(out, "duplicate line fraction", duplicateLineFraction, policy.maxDuplicateLineFraction());
    check(out, "top 2-gram fraction", topNgramFraction, policy.maxTopNgramFraction());
    if (words > 0 && alphaWordFraction < policy.minAlphaWordFraction()) {
      out.add(String.format(Locale.ROOT, "alphabetic word fraction %.2f below %.2f",
          alphaWordFraction, policy.minAlphaWordFraction()));
    }
    return out;
  }

  private static void check(List<String> out, String name, double value, double max) {
    if (value > max) {
      out.add(String.format(Locale.ROOT, "%s %.2f above %.2f", name, value, max));
    }
  }

  private static double topBigramFraction(String[] words, long letters) {
    if (words.length < 2 || letters == 0) {
      return 0;
    }
    Map<String, Integer> counts = new HashMap<>();
    int best = 0;
    String bestGram = "";
    for (int i = 0; i + 1 < words.length; i++) {
      String gram = words[i].toLowerCase(Locale.ROOT) + ' ' + words[i + 1].toLowerCase(Locale.ROOT);
      int c = counts.merge(gram, 1, Integer::sum);
      if (c > best) {
        best = c;
        bestGram = gram;
      }
    }
    // A 2-gram seen once covers nothing repeated; Gopher counts only duplicated n-grams.
    return best < 2 ? 0 : (double) best * (bestGram.length() - 1) / letters;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
