package ai.payable.pipelines.validate;

import ai.payable.core.crypto.Keccak;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Fingerprints of a record's content for duplicate detection: an exact hash of the normalised
 * text and a MinHash signature of its word 5-gram shingles (Broder 1997), as LLM data-curation
 * pipelines use them. The contributor is not part of either: a copy is a copy whoever submits it.
 */
public final class ContentFingerprint {

  /** Number of MinHash permutations; LSH bands split the signature. */
  public static final int PERMUTATIONS = 128;

  /** Words per shingle. */
  public static final int SHINGLE_WORDS = 5;

  private static final long[] A = new long[PERMUTATIONS];
  private static final long[] B = new long[PERMUTATIONS];

  static {
    // Fixed seed: signatures stored in `records` must stay comparable across runs and versions.
    SplittableRandom random = new SplittableRandom(0x5EED_2026L);
    for (int i = 0; i < PERMUTATIONS; i++) {
      A[i] = random.nextLong() | 1L;
      B[i] = random.nextLong();
    }
  }

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

  /** The MinHash signature of the normalised text's word 5-gram shingles. */
  public static int[] minHash(String text) {
    String[] words = normalise(text).split(" ");
    int[] signature = new int[PERMUTATIONS];
    java.util.Arrays.fill(signature, Integer.MAX_VALUE);
    int shingles = Math.max(1, words.length - SHINGLE_WORDS + 1);
    for (int s = 0; s < shingles; s++) {
      long h = 0x9E3779B97F4A7C15L;
      for (int w = s; w < Math.min(words.length, s + SHINGLE_WORDS); w++) {
        h = mix(h ^ words[w].hashCode()) + w - s;
      }
      for (int i = 0; i < PERMUTATIONS; i++) {
        int v = (int) (mix(A[i] * h + B[i]) >>> 33);
        if (v < signature[i]) {
          signature[i] = v;
        }
      }
    }
    return signature;
  }

  /** Share of equal positions: an unbiased estimate of the shingle sets' Jaccard similarity. */
  public static double similarity(int[] a, int[] b) {
    int equal = 0;
    for (int i = 0; i < PERMUTATIONS; i++) {
      if (a[i] == b[i]) {
        equal++;
      }
    }
    return (double) equal / PERMUTATIONS;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
