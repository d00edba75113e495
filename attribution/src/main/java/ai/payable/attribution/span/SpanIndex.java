package ai.payable.attribution.span;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Span matching over a model's training corpus, as Infini-gram does for large models: the records'
 * token streams, separated, in one suffix array. For an answer, every maximal span of its output
 * (at least {@code minTokens} long) that occurs in the corpus credits the records containing it,
 * weighted by length × rarity: {@code w = length · ln(1 + R / r)}, with R records in the corpus and
 * r of them containing the span, shared equally among those r.
 */
public final class SpanIndex {

  private static final int MAGIC = 0x5350414e; // "SPAN"

  private final List<String> recordIds;
  private final int[] starts;
  private final SuffixArray array;

  private SpanIndex(List<String> recordIds, int[] starts, SuffixArray array) {
    this.recordIds = recordIds;
    this.starts = starts;
    this.array = array;
  }

  /** A text as the index sees it: its UTF-8 bytes (0..255), the same for every model's tokenizer. */
  public static int[] bytes(String text) {
    byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int[] out = new int[utf8.length];
    for (int i = 0; i < utf8.length; i++) {
      out[i] = utf8[i] & 0xff;
    }
    return out;
  }

  /** Indexes the token sequences of {@code recordIds} (the records a model trained on). */
  public static SpanIndex build(List<String> recordIds, List<int[]> tokens) {
    int total = tokens.stream().mapToInt(t -> t.length + 1).sum();
    int[] stream = new int[total];
    int[] starts = new int[tokens.size()];
    int p = 0;
    for (int r = 0; r < tokens.size(); r++) {
      starts[r] = p;
      System.arraycopy(tokens.get(r), 0, stream, p, tokens.get(r).length);
      p += tokens.get(r).length;
      stream[p++] = -1;
    }
    return new SpanIndex(List.copyOf(recordIds), starts, SuffixArray.build(stream));
  }

  /** The indexed records. */
  public List<String> recordIds() {
    return recordIds;
  }

  /** A maximal span of an answer found in the corpus. */
  public record Span(int start, int length, int records) {}

  /** The maximal spans of {@code output} of at least {@code minTokens} that occur in the corpus. */
  public List<Span> spans(int[] output, int minTokens) {
    List<Span> out = new ArrayList<>();
    int coveredTo = 0;
    for (int i = 0; i < output.length; i++) {
      int[] m = array.longestMatch(output, i, output.length - i);
      int end = i + m[0];
      if (m[0] >= minTokens && end > coveredTo) {
        out.add(new Span(i, m[0], recordsIn(m[1], m[2]).size()));
        coveredTo = end;
      }
    }
    return out;
  }

  /** Credit per record for {@code output}: record id → Σ over its spans of w / r. */
  public Map<String, Double> credit(int[] output, int minTokens) {
    Map<String, Double> credit = new HashMap<>();
    int coveredTo = 0;
    for (int i = 0; i < output.length; i++) {
      int[] m = array.longestMatch(output, i, output.length - i);
      int end = i + m[0];
      if (m[0] < minTokens || end <= coveredTo) {
        continue;
      }
      coveredTo = end;
      Set<Integer> records = recordsIn(m[1], m[2]);
      double weight = m[0] * Math.log(1 + (double) recordIds.size() / records.size());
      for (int r : records) {
        credit.merge(recordIds.get(r), weight / records.size(), Double::sum);
      }
    }
    return credit;
  }

  private Set<Integer> recordsIn(int from, int to) {
    Set<Integer> records = new HashSet<>();
    int[] suffixes = array.suffixes();
    for (int j = from; j < to; j++) {
      int r = java.util.Arrays.binarySearch(starts, suffixes[j]);
      records.add(r >= 0 ? r : -r - 2);
    }
    return records;
  }

  /** Writes the index (record ids, record starts, tokens, suffix array) to {@code file}. */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeInt(recordIds.size());
      for (int r = 0; r < recordIds.size(); r++) {
        out.writeUTF(recordIds.get(r));
        out.writeInt(starts[r]);
      }
      out.writeInt(array.tokens().length);
      for (int i = 0; i < array.tokens().length; i++) {
        out.writeInt(array.tokens()[i]);
        out.writeInt(array.suffixes()[i]);
      }
    }
  }

  /** Reads an index written by {@link #write}. */
  public static SpanIndex read(Path file) throws IOException {
    return read(Files.newInputStream(file), file.toString());
  }

  /** Reads an index from {@code stream} (closed when done), named {@code source} in errors. */
  public static SpanIndex read(java.io.InputStream stream, String source) throws IOException {
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(stream, 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(source + " is not a span index");
      }
      int n = in.readInt();
      List<String> ids = new ArrayList<>(n);
      int[] starts = new int[n];
      for (int r = 0; r < n; r++) {
        ids.add(in.readUTF());
        starts[r] = in.readInt();
      }
      int length = in.readInt();
      int[] tokens = new int[length];
      int[] suffixes = new int[length];
      for (int i = 0; i < length; i++) {
        tokens[i] = in.readInt();
        suffixes[i] = in.readInt();
      }
      return new SpanIndex(ids, starts, SuffixArray.of(tokens, suffixes));
    }
  }
}
