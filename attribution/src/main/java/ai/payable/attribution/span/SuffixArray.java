package ai.payable.attribution.span;

import java.util.Arrays;

/**
 * A suffix array over a token stream (token ids ≥ 0; −1 separates documents and never matches), by
 * prefix doubling: ranks of 2^k-token prefixes, sorted as packed 63-bit keys, until all ranks are
 * distinct. O(n log² n), for streams of up to 2^21 tokens.
 */
public final class SuffixArray {

  /** Largest stream: rank, next rank and position are packed in 21 bits each. */
  public static final int MAX_TOKENS = (1 << 21) - 2;

  private final int[] tokens;
  private final int[] suffixes;

  private SuffixArray(int[] tokens, int[] suffixes) {
    this.tokens = tokens;
    this.suffixes = suffixes;
  }

  /** Builds the suffix array of {@code tokens}. */
  public static SuffixArray build(int[] tokens) {
    int n = tokens.length;
    if (n > MAX_TOKENS) {
      throw new IllegalArgumentException("a span index holds at most " + MAX_TOKENS + " tokens, this corpus has " + n);
    }
    int[] rank = new int[n];
    for (int i = 0; i < n; i++) {
      rank[i] = tokens[i] + 2; // separators (−1) rank 1, below every token; 0 means "past the end"
    }
    int[] sa = new int[n];
    long[] keys = new long[n];
    int[] next = new int[n];
    for (int k = 1; ; k <<= 1) {
      for (int i = 0; i < n; i++) {
        long second = i + k < n ? rank[i + k] : 0;
        keys[i] = ((long) rank[i] << 42) | (second << 21) | i;
      }
      Arrays.sort(keys);
      int classes = 0;
      long previous = -1;
      for (int j = 0; j < n; j++) {
        long pair = keys[j] >>> 21;
        if (pair != previous) {
          classes++;
          previous = pair;
        }
        sa[j] = (int) (keys[j] & ((1 << 21) - 1));
        next[sa[j]] = classes;
      }
      System.arraycopy(next, 0, rank, 0, n);
      if (classes == n || k >= n) {
        break;
      }
      if (classes >= (1 << 21)) {
        throw new IllegalStateException("too many distinct prefixes for packed ranks");
      }
    }
    return new SuffixArray(tokens, sa);
  }

  /** Restores an index from its parts (as stored). */
  public static SuffixArray of(int[] tokens, int[] suffixes) {
    if (tokens.length != suffixes.length) {
      throw new IllegalArgumentException("suffix array of " + suffixes.length + " entries for " + tokens.length + " tokens");
    }
    return new SuffixArray(tokens, suffixes);
  }

  /** The token stream. */
  public int[] tokens() {
    return tokens;
  }

  /** Suffix start positions in lexicographic order. */
  public int[] suffixes() {
    return suffixes;
  }

  /**
   * The range {@code [from, to)} of suffixes that start with {@code query[start, start+length)}, or
   * an empty range.
   */
  public int[] range(int[] query, int start, int length) {
    int lo = 0;
    int hi = suffixes.length;
    for (int d = 0; d < length && lo < hi; d++) {
      int token = query[start + d];
      lo = bound(lo, hi, d, token, false);
      hi = bound(lo, hi, d, token, true);
    }
    return new int[] {lo, hi};
  }

  /**
   * The longest length L ≤ {@code max} such that {@code query[start, start+L)} occurs, and the range of
   * suffixes that start with it.
   */
  public int[] longestMatch(int[] query, int start, int max) {
    int lo = 0;
    int hi = suffixes.length;
    int length = 0;
    while (length < max && start + length < query.length) {
      int token = query[start + length];
      int nlo = bound(lo, hi, length, token, false);
      int nhi = bound(nlo, hi, length, token, true);
      if (nlo >= nhi) {
        break;
      }
      lo = nlo;
      hi = nhi;
      length++;
    }
    return new int[] {length, lo, hi};
  }

  /** First suffix in [lo, hi) whose token at depth d is ≥ token (or &gt; token when {@code upper}). */
  private int bound(int lo, int hi, int d, int token, boolean upper) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int p = suffixes[mid] + d;
      int t = p < tokens.length ? tokens[p] : Integer.MIN_VALUE;
      if (t < token || (upper && t == token)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
