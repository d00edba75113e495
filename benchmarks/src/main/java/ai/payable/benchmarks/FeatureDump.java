package ai.payable.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One adapter's gradient features written for study outside the JVM: {@code records.f32} and
 * {@code queries.f32} are row-major little-endian float32 matrices ({@code numpy.fromfile(f,
 * '<f4').reshape(rows, modules * dim)}), and {@code meta.json} names the rows: record ids and their
 * contributors, each query's owner record, answer text and span-matching credits, and the module
 * count and width.
 */
final class FeatureDump {

  private FeatureDump() {}

  static void write(Path dir, List<String> recordIds, float[][] records, float[][] queries, List<String> owners, List<String> answers, int modules, int dim,
      List<String> contributors, List<Map<String, Double>> spanCredits) throws IOException {
    Files.createDirectories(dir);
    matrix(dir.resolve("records.f32"), records);
    matrix(dir.resolve("queries.f32"), queries);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("modules", modules);
    meta.put("dim", dim);
    meta.put("record_ids", recordIds);
    meta.put("owners", owners);
    meta.put("answers", answers);
    meta.put("contributors", contributors);
    meta.put("span_credits", spanCredits);
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("meta.json").toFile(), meta);
  }

  private static void matrix(Path file, float[][] rows) throws IOException {
    try (OutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      for (float[] row : rows) {
        ByteBuffer b = ByteBuffer.allocate(row.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(row);
        out.write(b.array());
      }
    }
  }
}
