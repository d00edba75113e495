package ai.payable.training.span;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

/**
 * A suffix array over a byte stream in which {@link #SEPARATOR} (0xFF, never part of UTF-8)
 * separates documents, sorts below every byte and never matches. Built by prefix doubling with
 * radix sorts (Manber–Myers): O(n log n) time, four ints per byte of memory, for streams of up to
 * 2³¹ − 1 bytes. Queries read the bytes and the suffix order from buffers, which may be
 * memory-mapped files, so a corpus far larger than the heap can be searched.
 */
final class SuffixArray {

  /** The document separator. */
  public static final byte SEPARATOR = (byte) 0xFF;

  private final ByteBuffer tokens;
  private final IntBuffer suffixes;

  private SuffixArray(ByteBuffer tokens, IntBuffer suffixes) {
    this.tokens = tokens;
    this.suffixes = suffixes;
  }

  /** Builds the suffix array of {@code tokens} in memory. */
  public static SuffixArray build(byte[] tokens) {
    return new SuffixArray(ByteBuffer.wrap(tokens), IntBuffer.wrap(sort(tokens)));
  }

  /** A suffix array over stored parts: the bytes and their suffixes in order. */
  public static SuffixArray of(ByteBuffer tokens, IntBuffer suffixes) {
    if (tokens.limit() != suffixes.limit()) {
      throw new IllegalArgumentException("suffix array of " + suffixes.limit() + " entries for " + tokens.limit() + " bytes");
    }
    return new SuffixArray(tokens, suffixes);
  }

  /** The suffix start positions of {@code tokens} in lexicographic order (a suffix that ends first sorts first). */
  public static int[] sort(byte[] tokens) {
    int n = tokens.length;
    int[] sa = new int[n];
    int[] rank = new int[n];
    int[] tmp = new int[n];
    if (n == 0) {
      return sa;
    }
    int classes = 257;
    for (int i = 0; i < n; i++) {
      rank[i] = tokens[i] == SEPARATOR ? 1 : (tokens[i] & 0xff) + 2; // 0 is "past the end"
    }
    for (int i = 0; i < n; i++) {
      tmp[i] = i;
    }
    countingSort(tmp, rank, sa, classes);
    for (int k = 1; ; k <<= 1) {
      // By the second key (the rank k bytes on): suffixes with nothing there first, then the others in sa's order.
      int p = 0;
      for (int i = Math.max(0, n - k); i < n; i++) {
        tmp[p++] = i;
      }
      for (int j = 0; j < n; j++) {
        if (sa[j] >= k) {
          tmp[p++] = sa[j] - k;
        }
      }
      countingSort(tmp, rank, sa, classes);
      int[] next = tmp;
      next[sa[0]] = 1;
      classes = 1;
      for (int j = 1; j < n; j++) {
        int a = sa[j - 1];
        int b = sa[j];
        boolean same = rank[a] == rank[b] && (a + k < n ? rank[a + k] : 0) == (b + k < n ? rank[b + k] : 0);
        next[b] = same ? classes : ++classes;
      }
      tmp = rank;
      rank = next;
      if (classes == n || k >= n) {
        break;
      }
    }
    return sa;
  }

  /** Stable sort of {@code order} by {@code key} (values 0..classes) into {@code out}. */
  private static void countingSort(int[] order, int[] key, int[] out, int classes) {
    int[] count = new int[classes + 2];
    for (int i : order) {
      count[key[i] + 1]++;
    }
    for (int c = 1; c < count.length; c++) {
      count[c] += count[c - 1];
    }
    for (int i : order) {
      out[count[key[i]]++] = i;
    }
  }

  /** Writes the bytes, then the suffixes as big-endian ints. */
  void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
    for (int i = 0; i < tokens.limit(); i++) {
      out.write(tokens.get(i));
    }
    for (int j = 0; j < suffixes.limit(); j++) {
      out.writeInt(suffixes.get(j));
    }
  }

  /** Bytes in the stream. */
  public int size() {
    return tokens.limit();
  }

  /** The start of the j-th smallest suffix. */
  public int suffix(int j) {
    return suffixes.get(j);
  }

  /**
   * The longest length L ≤ {@code max} such that {@code query[start, start+L)} occurs, and the range
   * {@code [from, to)} of suffixes that start with it: {@code {L, from, to}}.
   */
  public int[] longestMatch(int[] query, int start, int max) {
    int lo = 0;
    int hi = size();
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

  /** First suffix in [lo, hi) whose byte at depth d is ≥ token (or &gt; token when {@code upper}). */
  private int bound(int lo, int hi, int d, int token, boolean upper) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int p = suffixes.get(mid) + d;
      int t = p < tokens.limit() ? token(p) : Integer.MIN_VALUE;
      if (t < token || (upper && t == token)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The byte at {@code p}, 0..255, or −1 for a separator. */
  private int token(int p) {
    byte b = tokens.get(p);
    return b == SEPARATOR ? -1 : b & 0xff;
  }
}
