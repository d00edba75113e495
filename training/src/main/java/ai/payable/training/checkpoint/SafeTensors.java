package ai.payable.training.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hugging Face's safetensors format: an 8-byte little-endian header length, a JSON header mapping
 * each tensor name to dtype, shape and byte offsets (plus {@code __metadata__}), then the raw
 * little-endian data.
 *
 * <p>Reading opens the header only; a tensor's bytes are memory-mapped when it is loaded, so a
 * multi-gigabyte checkpoint is never read into the Java heap, and a tensor larger than one
 * mapping (2 GB) is loaded in row blocks. F32, F16 and BF16 tensors load as float32 arrays (BF16
 * is widened in Java, exactly: DJL's PyTorch bindings have no bfloat16 type). Writing produces
 * float32 files with {@code {"format":"pt"}} metadata, tensors in name order and the header padded
 * to 8 bytes, as the reference writer does.
 */
public final class SafeTensors {

  /** The element types this reader understands, by their safetensors names. */
  public enum DType {
    F32(4),
    F16(2),
    BF16(2);

    private final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }
  }

  /** One tensor's place in the file. */
  public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    /** Number of elements. */
    public long size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  /** One tensor in memory, for writing and for small tensors (adapters): its shape and row-major float32 data. */
  public record Tensor(long[] shape, float[] data) {
    public Tensor {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values but data has " + data.length);
      }
    }
  }

  /** The largest mapping loaded in one piece; larger tensors are loaded in row blocks (settable for tests). */
  static long maxBlockBytes = Integer.MAX_VALUE - 8;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensors(Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
    this.file = file;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Reads the header of {@code file} and checks every tensor's offsets against its shape and the file's size. */
  public static SafeTensors open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " does not exist");
    }
    long size = Files.size(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      if (channel.read(lengthBytes, 0) != 8) {
        throw new IOException(file + " is not a safetensors file: shorter than its 8-byte header length");
      }
      long headerLength = lengthBytes.getLong(0);
      if (headerLength <= 0 || headerLength > 100_000_000L || 8 + headerLength > size) {
        throw new IOException(file + " is not a safetensors file: header length " + headerLength + " in a file of " + size + " bytes");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      channel.read(header, 8);
      JsonNode root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8).strip());
      long dataStart = 8 + headerLength;
      Map<String, String> metadata = new LinkedHashMap<>();
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        if (e.getKey().equals("__metadata__")) {
          e.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        entries.put(e.getKey(), entry(file, e.getKey(), e.getValue(), size - dataStart));
      }
      return new SafeTensors(file, dataStart, Collections.unmodifiableMap(entries), metadata);
    }
  }

  private static Entry entry(Path file, String name, JsonNode t, long dataBytes) throws IOException {
    String dtypeName = t.path("dtype").asText();
    DType dtype;
    try {
      dtype = DType.valueOf(dtypeName);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": tensor " + name + " has dtype " + dtypeName + "; supported: F32, F16, BF16");
    }
    long[] shape = new long[t.path("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = t.path("shape").get(i).asLong();
    }
    long begin = t.path("data_offsets").path(0).asLong(-1);
    long end = t.path("data_offsets").path(1).asLong(-1);
    Entry entry = new Entry(name, dtype, shape, begin, end);
    if (begin < 0 || end < begin || end > dataBytes || end - begin != entry.size() * dtype.bytes()) {
      throw new IOException(file + ": tensor " + name + " (" + dtype + " " + Arrays.toString(shape) + ") has data offsets [" + begin + ", " + end
          + ") that do not fit its shape or the file's " + dataBytes + " data bytes; the file is truncated or corrupt");
    }
    return entry;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Every tensor, in header order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The header's {@code __metadata__}. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensor {@code name}, failing with the file named when there is none. */
  public Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new IllegalArgumentException(file + " has no tensor " + name);
    }
    return e;
  }

  /** Loads tensor {@code name} into {@code manager} as a float32 array (on the manager's device). */
  public NDArray load(String name, NDManager manager) throws IOException {
    Entry e = entry(name);
    long rowBytes = e.shape().length == 0 ? e.end() - e.begin() : (e.end() - e.begin()) / Math.max(1, e.shape()[0]);
    if (e.end() - e.begin() <= maxBlockBytes || e.shape().length == 0 || rowBytes > maxBlockBytes) {
      return block(e, manager, 0, e.shape().length == 0 ? 1 : e.shape()[0]);
    }
    long rowsPerBlock = Math.max(1, maxBlockBytes / rowBytes);
    NDList blocks = new NDList();
    try (NDManager scope = manager.newSubManager()) {
      for (long row = 0; row < e.shape()[0]; row += rowsPerBlock) {
        blocks.add(block(e, scope, row, Math.min(e.shape()[0], row + rowsPerBlock)));
      }
      NDArray whole = NDArrays.concat(blocks, 0);
      whole.attach(manager);
      return whole;
    }
  }

  /** Rows {@code [from, to)} of {@code e} (the whole tensor for a scalar) as float32. */
  private NDArray block(Entry e, NDManager manager, long from, long to) throws IOException {
    long rowBytes = e.shape().length == 0 ? e.end() - e.begin() : (e.end() - e.begin()) / Math.max(1, e.shape()[0]);
    long offset = dataStart + e.begin() + from * rowBytes;
    long length = (to - from) * rowBytes;
    long[] shape = e.shape().clone();
    if (shape.length > 0) {
      shape[0] = to - from;
    }
    ByteBuffer bytes;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      bytes = channel.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    }
    return switch (e.dtype()) {
      case F32 -> copy(manager, bytes, new Shape(shape), DataType.FLOAT32);
      case F16 -> copy(manager, bytes, new Shape(shape), DataType.FLOAT16);
      case BF16 -> copy(manager, widenBf16(bytes), new Shape(shape), DataType.FLOAT32);
    };
  }

  /**
   * An owned float32 copy of {@code bytes}. The array must not share the mapping's memory: Java
   * unmaps it once the buffer is garbage, and the file may be replaced later.
   */
  private static NDArray copy(NDManager manager, ByteBuffer bytes, Shape shape, DataType type) {
    try (NDManager view = manager.newSubManager()) {
      NDArray mapped = view.create(bytes, shape, type);
      // duplicate() clones; toType to the same type would return a view of the mapping.
      NDArray owned = type == DataType.FLOAT32 ? mapped.duplicate() : mapped.toType(DataType.FLOAT32, false);
      owned.attach(manager);
      return owned;
    }
  }

  /** bfloat16 is the top half of a float32: widening is a shift, exact. */
  private static ByteBuffer widenBf16(ByteBuffer bf16) {
    int n = bf16.remaining() / 2;
    ByteBuffer out = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      out.putInt(4 * i, (bf16.getShort(2 * i) & 0xffff) << 16);
    }
    return out;
  }

  /** Tensor {@code name} as float32 values on the heap: for small tensors (adapters, tests). */
  public Tensor read(String name) throws IOException {
    Entry e = entry(name);
    if (e.size() > Integer.MAX_VALUE - 8) {
      throw new IOException(file + ": tensor " + name + " has " + e.size() + " values, too many for the heap; load it as an array");
    }
    float[] data = new float[(int) e.size()];
    ByteBuffer bytes;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      bytes = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin()).order(ByteOrder.LITTLE_ENDIAN);
    }
    switch (e.dtype()) {
      case F32 -> bytes.asFloatBuffer().get(data);
      case BF16 -> {
        for (int i = 0; i < data.length; i++) {
          data[i] = Float.intBitsToFloat((bytes.getShort(2 * i) & 0xffff) << 16);
        }
      }
      case F16 -> {
        for (int i = 0; i < data.length; i++) {
          data[i] = halfToFloat(bytes.getShort(2 * i));
        }
      }
    }
    return new Tensor(e.shape(), data);
  }

  /** Every tensor of {@code file} on the heap, in header order (for small files: adapters). */
  public static Map<String, Tensor> readAll(Path file) throws IOException {
    SafeTensors st = open(file);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String name : st.entries().keySet()) {
      out.put(name, st.read(name));
    }
    return out;
  }

  /** IEEE 754 half precision to single (Java 17 has no {@code Float.float16ToFloat}). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** Writes {@code tensors} as float32 to {@code file} with {@code __metadata__ = {"format": "pt"}}. */
  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    Map<String, Tensor> sorted = new TreeMap<>(tensors);
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long bytes = 4L * e.getValue().data().length;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] head = new byte[padded];
    Arrays.fill(head, (byte) ' ');
    System.arraycopy(json, 0, head, 0, json.length);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(head);
      for (Tensor t : sorted.values()) {
        ByteBuffer data = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(t.data());
        out.write(data.array());
      }
    }
  }
}
