package ai.payable.training.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes Hugging Face's safetensors format for float32 tensors: an 8-byte little-endian
 * header length, a JSON header mapping each name to dtype, shape and byte offsets (plus
 * {@code __metadata__}), then the raw little-endian data. Written with {@code {"format":"pt"}}
 * metadata, tensors in name order and the header padded to 8 bytes, as the reference writer does.
 * (DJL's own writer has no metadata block, which PEFT and transformers expect.)
 */
public final class SafeTensors {

  /** One tensor: its shape and row-major data. */
  public record Tensor(long[] shape, float[] data) {
    public Tensor {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException("shape holds " + n + " values but data has " + data.length);
      }
    }
  }

  /** A file's tensors (in file order) and metadata. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeTensors() {}

  /** Writes {@code tensors} to {@code file} with {@code __metadata__ = {"format": "pt"}}. */
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
    java.util.Arrays.fill(head, (byte) ' ');
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

  /** Reads every tensor of {@code file}; only F32 tensors are supported. */
  public static Contents read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
      byte[] lengthBytes = in.readNBytes(8);
      if (lengthBytes.length != 8) {
        throw new IOException(file + " is not a safetensors file: shorter than its 8-byte header length");
      }
      long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLength <= 0 || headerLength > 100_000_000L) {
        throw new IOException(file + " is not a safetensors file: header length " + headerLength);
      }
      JsonNode header = JSON.readTree(new String(in.readNBytes((int) headerLength), StandardCharsets.UTF_8).strip());
      Map<String, String> metadata = new LinkedHashMap<>();
      TreeMap<Long, Map.Entry<String, JsonNode>> byOffset = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : header.properties()) {
        if (e.getKey().equals("__metadata__")) {
          e.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
        } else {
          if (!e.getValue().path("dtype").asText().equals("F32")) {
            throw new IOException(file + ": tensor " + e.getKey() + " is " + e.getValue().path("dtype").asText() + "; only F32 is supported");
          }
          byOffset.put(e.getValue().get("data_offsets").get(0).asLong(), e);
        }
      }
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      long position = 0;
      for (Map.Entry<Long, Map.Entry<String, JsonNode>> o : byOffset.entrySet()) {
        JsonNode t = o.getValue().getValue();
        long begin = t.get("data_offsets").get(0).asLong();
        long end = t.get("data_offsets").get(1).asLong();
        in.skipNBytes(begin - position);
        byte[] bytes = in.readNBytes((int) (end - begin));
        if (bytes.length != end - begin) {
          throw new IOException(file + ": tensor " + o.getValue().getKey() + " is truncated");
        }
        position = end;
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = t.get("shape").get(i).asLong();
        }
        float[] data = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        tensors.put(o.getValue().getKey(), new Tensor(shape, data));
      }
      return new Contents(tensors, metadata);
    }
  }
}
