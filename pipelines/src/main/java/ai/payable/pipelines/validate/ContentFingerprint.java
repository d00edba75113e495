package ai.payable.pipelines.validate;

import ai.payable.core.crypto.Keccak;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * Fingerprints of a record's content for copy detection: an exact hash of the normalised text and
 * the set of its word 2-gram shingles. Words are runs of letters and digits after NFKC and lower
 * casing, so case, whitespace and punctuation changes leave both unchanged. The contributor is not
 * part of either: a copy is a copy whoever submits it.
 *
 * <p>Two-word shingles, not the five of web-scale dedup: a changed word breaks only two shingles,
 * so a copy with one word in ten changed keeps about 80% of them (measured in
 * {@code benchmarks/run copies}); the rarity weighting in the duplicate detector, not the shingle
 * length, is what keeps distinct records of one template apart.
 */
public final class ContentFingerprint {

  /** Words per shingle. */
  public static final int SHINGLE_WORDS = 2;

  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private ContentFingerprint() {}

  /** NFKC, lower case, every run of whitespace one space, trimmed. */
  public static String normalise(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return folded.replaceAll("\\s+", " ").strip();
  }

  /** Keccak-256 hex of the normalised fields, separated so field boundaries matter. */
  public static String contentHash(String kind, String prompt, String completion, String text) {
    String joined =
        kind + '\u001f' + normalise(prompt) + '\u001f' + normalise(completion) + '\u001f' + normalise(text);
    return Keccak.hex(joined.getBytes(StandardCharsets.UTF_8));
  }

  /** The words of {@code text}: runs of letters and digits, NFKC-folded and lower case. */
  public static String[] words(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return NON_WORD.splitAsStream(folded).filter(w -> !w.isEmpty()).toArray(String[]::new);
  }

  /**
   * The distinct 64-bit hashes of the text's word 2-gram shingles, sorted ascending (a text of one
   * word has that word as its only shingle). Stable across runs and versions: they are stored in
   * {@code records}.
   */
  public static long[] shingles(String text) {
    String[] words = words(text);
    int count = Math.max(words.length == 0 ? 0 : 1, words.length - SHINGLE_WORDS + 1);
    long[] out = new long[count];
    for (int s = 0; s < count; s++) {
      long h = 0x9E3779B97F4A7C15L;
      for (int w = s; w < Math.min(words.length, s + SHINGLE_WORDS); w++) {
        h = mix(h ^ stableHash(words[w])) + w - s;
      }
      out[s] = h;
    }
    return LongStream.of(out).sorted().distinct().toArray();
  }

  // String.hashCode is specified, but 32 bits make colliding words too likely across millions of records.
  private static long stableHash(String word) {
    long h = 0xCBF29CE484222325L;
    for (int i = 0; i < word.length(); i++) {
      h = (h ^ word.charAt(i)) * 0x100000001B3L;
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
