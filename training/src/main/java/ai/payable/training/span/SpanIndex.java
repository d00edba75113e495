package ai.payable.training.span;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Span matching over a model's training corpus, as Infini-gram does for large models: the records'
 * texts (UTF-8 bytes, the same whatever the model's tokenizer), separated, in suffix arrays cut into
 * {@link SpanShard shards} of at most {@link #SHARD_BYTES} bytes, so a corpus of any size indexes
 * shard by shard and is searched through memory-mapped files. For an answer, every maximal span of
 * its output (at least {@code minTokens} bytes long) that occurs in the corpus credits the records
 * containing it, weighted by length × rarity: {@code w = length · ln(1 + R / r)}, with R records in
 * the corpus and r of them containing the span, shared equally among those r. Sharding changes
 * nothing: a span's longest match is the longest over all shards, and its records are those of
 * every shard that matches it that far.
 *
 * <p>Training writes the index of the records a model was fitted on into the model's folder
 * ({@link #FOLDER}); attribution opens it.
 */
public final class SpanIndex {

  /** The index's folder in a model's folder. */
  public static final String FOLDER = "span-index";

  /** Most bytes per shard: 64 MiB of text, built with about 1.3 GB of memory. */
  public static final long SHARD_BYTES = 1L << 26;

  private final List<SpanShard> shards;
  private final long records;

  private SpanIndex(List<SpanShard> shards) {
    this.shards = List.copyOf(shards);
    this.records = shards.stream().mapToLong(SpanShard::records).sum();
  }

  /** A text as the index sees it: its UTF-8 bytes (0..255). */
  public static int[] bytes(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int[] out = new int[utf8.length];
    for (int i = 0; i < utf8.length; i++) {
      out[i] = utf8[i] & 0xff;
    }
    return out;
  }

  /** An index of nothing: a model that no record trained. */
  public static SpanIndex empty() {
    return new SpanIndex(List.of());
  }

  /** Indexes {@code texts} of {@code recordIds} in memory. */
  public static SpanIndex build(List<String> recordIds, List<String> texts) {
    return build(recordIds, texts, SHARD_BYTES);
  }

  static SpanIndex build(List<String> recordIds, List<String> texts, long shardBytes) {
    List<SpanShard> shards = new ArrayList<>();
    try {
      cut(recordIds, texts, shardBytes, (ids, bytes) -> shards.add(SpanShard.build(ids, bytes)));
    } catch (IOException e) {
      throw new AssertionError("building in memory does no I/O", e);
    }
    return new SpanIndex(shards);
  }

  /**
   * Writes the index of {@code texts} of {@code recordIds} into {@code folder}, one shard file at a
   * time (memory: one shard).
   *
   * @return the number of shards
   */
  public static int write(Path folder, List<String> recordIds, List<String> texts) throws IOException {
    return write(folder, recordIds, texts, SHARD_BYTES);
  }

  static int write(Path folder, List<String> recordIds, List<String> texts, long shardBytes) throws IOException {
    Files.createDirectories(folder);
    int[] count = {0};
    cut(recordIds, texts, shardBytes, (ids, bytes) -> SpanShard.build(ids, bytes).write(folder.resolve(String.format("shard-%05d.bin", count[0]++))));
    return count[0];
  }

  /** Receives one shard's records. */
  private interface ShardSink {
    void accept(List<String> recordIds, List<byte[]> texts) throws IOException;
  }

  /** Groups records, in the given order, into shards of at most {@code shardBytes} (a longer record gets a shard of its own). */
  private static void cut(List<String> recordIds, List<String> texts, long shardBytes, ShardSink shard) throws IOException {
    if (recordIds.size() != texts.size()) {
      throw new IllegalArgumentException(recordIds.size() + " record ids for " + texts.size() + " texts");
    }
    List<String> ids = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    long size = 0;
    for (int r = 0; r < recordIds.size(); r++) {
      byte[] b = texts.get(r).getBytes(StandardCharsets.UTF_8);
      if (!ids.isEmpty() && size + b.length + 1 > shardBytes) {
        shard.accept(ids, bytes);
        ids = new ArrayList<>();
        bytes = new ArrayList<>();
        size = 0;
      }
      ids.add(recordIds.get(r));
      bytes.add(b);
      size += b.length + 1;
    }
    if (!ids.isEmpty()) {
      shard.accept(ids, bytes);
    }
  }

  /** Opens the index written into {@code folder} by {@link #write}, mapping its shards. */
  public static SpanIndex open(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new java.io.FileNotFoundException("no span index at " + folder + "; models trained before span indexes were written at training time need retraining");
    }
    List<SpanShard> shards = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches("shard-\\d+\\.bin")).sorted().toList()) {
        shards.add(SpanShard.map(f));
      }
    }
    return new SpanIndex(shards);
  }

  /** Records indexed. */
  public long records() {
    return records;
  }

  /** Shards. */
  public int shards() {
    return shards.size();
  }

  /** A maximal span of an answer found in the corpus. */
  public record Span(int start, int length, int records) {}

  /** The maximal spans of {@code output} of at least {@code minTokens} that occur in the corpus. */
  public List<Span> spans(int[] output, int minTokens) {
    List<Span> out = new ArrayList<>();
    for (Found f : maximal(output, minTokens)) {
      out.add(new Span(f.start(), f.length(), f.holders().size()));
    }
    return out;
  }

  /** Credit per record for {@code output}: record id → Σ over its spans of w / r. */
  public Map<String, Double> credit(int[] output, int minTokens) {
    Map<String, Double> credit = new HashMap<>();
    for (Found f : maximal(output, minTokens)) {
      double weight = f.length() * Math.log(1 + (double) records / f.holders().size());
      for (String record : f.holders()) {
        credit.merge(record, weight / f.holders().size(), Double::sum);
      }
    }
    return credit;
  }

  /** A maximal span found: where it starts in the output, its length, the records holding it. */
  private record Found(int start, int length, TreeSet<String> holders) {}

  /**
   * The output's maximal spans of at least {@code minTokens}: at each position the longest match,
   * kept when it reaches past every span kept before it.
   */
  private List<Found> maximal(int[] output, int minTokens) {
    List<Found> found = new ArrayList<>();
    int coveredTo = 0;
    for (int i = 0; i < output.length; i++) {
      Match m = longest(output, i);
      if (m.length() >= minTokens && i + m.length() > coveredTo) {
        found.add(new Found(i, m.length(), m.records()));
        coveredTo = i + m.length();
      }
    }
    return found;
  }

  /** The longest match of {@code output} from some start over all shards: its length and, per shard, the suffix range {length, from, to}. */
  private final class Match {
    private final int length;
    private final int[][] ranges;

    private Match(int length, int[][] ranges) {
      this.length = length;
      this.ranges = ranges;
    }

    int length() {
      return length;
    }

    /** The records holding the match, collected only when asked (a short match may occur in most records). */
    TreeSet<String> records() {
      TreeSet<String> records = new TreeSet<>();
      for (int s = 0; s < shards.size() && length > 0; s++) {
        if (ranges[s][0] == length) {
          SpanShard shard = shards.get(s);
          TreeSet<Integer> inShard = new TreeSet<>();
          for (int j = ranges[s][1]; j < ranges[s][2]; j++) {
            inShard.add(shard.recordAt(shard.array().suffix(j)));
          }
          inShard.forEach(r -> records.add(shard.recordId(r)));
        }
      }
      return records;
    }
  }

  private Match longest(int[] output, int start) {
    int best = 0;
    int[][] ranges = new int[shards.size()][];
    for (int s = 0; s < shards.size(); s++) {
      ranges[s] = shards.get(s).array().longestMatch(output, start, output.length - start);
      best = Math.max(best, ranges[s][0]);
    }
    return new Match(best, ranges);
  }
}
