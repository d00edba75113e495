package ai.payable.training.span;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One shard of a {@link SpanIndex}: some records' texts, separated, with their suffix array and
 * record ids. On disk every part is a fixed region of one file, so a shard is opened by mapping it,
 * not by reading it: memory follows the pages a query touches, not the corpus.
 *
 * <pre>
 * int magic "SPN2", int records, int bytes, int idBytes        (big-endian header, 16 bytes)
 * int[records + 1] id offsets into the id bytes
 * int[records]     each record's first byte in the stream
 * byte[idBytes]    the record ids, UTF-8
 * byte[bytes]      the stream (records' UTF-8 text, 0xFF after each)
 * int[bytes]       the suffix array
 * </pre>
 */
final class SpanShard {

  private static final int MAGIC = 0x53504e32; // "SPN2"

  private final IntBuffer idOffsets;
  private final IntBuffer starts;
  private final ByteBuffer ids;
  private final SuffixArray array;

  private SpanShard(IntBuffer idOffsets, IntBuffer starts, ByteBuffer ids, SuffixArray array) {
    this.idOffsets = idOffsets;
    this.starts = starts;
    this.ids = ids;
    this.array = array;
  }

  /** Records in the shard. */
  int records() {
    return starts.limit();
  }

  /** The shard's suffix array. */
  SuffixArray array() {
    return array;
  }

  /** The id of record {@code r}. */
  String recordId(int r) {
    int from = idOffsets.get(r);
    byte[] b = new byte[idOffsets.get(r + 1) - from];
    ids.get(from, b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** The record holding stream position {@code p}. */
  int recordAt(int p) {
    int lo = 0;
    int hi = records() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts.get(mid) <= p) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** The shard of {@code recordIds} with their {@code texts} (UTF-8 bytes), built in memory. */
  static SpanShard build(List<String> recordIds, List<byte[]> texts) {
    long total = 0;
    for (byte[] t : texts) {
      total += t.length + 1;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a span shard holds at most 2^31 bytes; cut the corpus into more shards");
    }
    byte[] stream = new byte[(int) total];
    int[] starts = new int[texts.size()];
    int p = 0;
    for (int r = 0; r < texts.size(); r++) {
      starts[r] = p;
      System.arraycopy(texts.get(r), 0, stream, p, texts.get(r).length);
      p += texts.get(r).length;
      stream[p++] = SuffixArray.SEPARATOR;
    }
    java.io.ByteArrayOutputStream ids = new java.io.ByteArrayOutputStream();
    int[] offsets = new int[recordIds.size() + 1];
    for (int r = 0; r < recordIds.size(); r++) {
      ids.writeBytes(recordIds.get(r).getBytes(StandardCharsets.UTF_8));
      offsets[r + 1] = ids.size();
    }
    return new SpanShard(IntBuffer.wrap(offsets), IntBuffer.wrap(starts), ByteBuffer.wrap(ids.toByteArray()),
        SuffixArray.of(ByteBuffer.wrap(stream), IntBuffer.wrap(SuffixArray.sort(stream))));
  }

  /** Writes the shard to {@code file} in the layout {@link #map} reads. */
  void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeInt(records());
      out.writeInt(array.size());
      out.writeInt(ids.limit());
      for (int r = 0; r <= records(); r++) {
        out.writeInt(idOffsets.get(r));
      }
      for (int r = 0; r < records(); r++) {
        out.writeInt(starts.get(r));
      }
      for (int i = 0; i < ids.limit(); i++) {
        out.write(ids.get(i));
      }
      array.writeTo(out);
    }
  }

  /** Maps a shard written by {@link #write}. */
  static SpanShard map(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = channel.map(FileChannel.MapMode.READ_ONLY, 0, 16).order(ByteOrder.BIG_ENDIAN);
      if (header.getInt(0) != MAGIC) {
        throw new IOException(file + " is not a span index shard (written by an older version? retrain the model to rebuild it)");
      }
      int records = header.getInt(4);
      int bytes = header.getInt(8);
      int idBytes = header.getInt(12);
      long at = 16;
      IntBuffer offsets = region(channel, at, 4L * (records + 1)).asIntBuffer();
      at += 4L * (records + 1);
      IntBuffer starts = region(channel, at, 4L * records).asIntBuffer();
      at += 4L * records;
      ByteBuffer ids = region(channel, at, idBytes);
      at += idBytes;
      ByteBuffer stream = region(channel, at, bytes);
      at += bytes;
      IntBuffer suffixes = region(channel, at, 4L * bytes).asIntBuffer();
      if (at + 4L * bytes != channel.size()) {
        throw new IOException(file + " is " + channel.size() + " bytes, its header says " + (at + 4L * bytes) + "; the file is damaged");
      }
      return new SpanShard(offsets, starts, ids, SuffixArray.of(stream, suffixes));
    }
  }

  private static ByteBuffer region(FileChannel channel, long at, long length) throws IOException {
    return channel.map(FileChannel.MapMode.READ_ONLY, at, length).order(ByteOrder.BIG_ENDIAN);
  }
}
