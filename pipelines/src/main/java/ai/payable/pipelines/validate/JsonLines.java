package ai.payable.pipelines.validate;

import ai.payable.core.catalog.QuarantineReason;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Strict JSON for landing lines: one value per line, no trailing tokens, and duplicate keys
 * rejected (a second "contributor" key must not be able to change what was signed).
 */
final class JsonLines {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static {
    // Lines up to the landing cap must parse; Jackson's default string limit is 20 MB.
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build());
  }

  private JsonLines() {}

  /**
   * The checks every landing line gets before its fields are read: size, clean UTF-8, one JSON
   * object, only {@code fields} as keys. Returns the object, or null when the line cannot be read
   * further (the reason is then in {@code findings}); unknown keys are reported but do not stop
   * the other checks.
   */
  public static JsonNode readLine(ai.payable.pipelines.landing.RawLine line, Set<String> fields, List<Finding> findings) {
    if (line.bytes() > MAX_LINE_BYTES) {
      findings.add(new Finding(QuarantineReason.TOO_LONG, "line of " + line.bytes() + " bytes exceeds the " + MAX_LINE_BYTES + "-byte line limit"));
      return null;
    }
    if (line.encodingProblem() != null) {
      findings.add(new Finding(QuarantineReason.ENCODING, line.encodingProblem()));
      return null;
    }
    Object parsed = parseObject(line.text());
    if (parsed instanceof Finding f) {
      findings.add(f);
      return null;
    }
    JsonNode json = (JsonNode) parsed;
    unknownKeys(json, fields, findings);
    return json;
  }

  /** Lines longer than this are quarantined unparsed: no DataNet accepts records this large. */
  public static final long MAX_LINE_BYTES = 8L * 1024 * 1024;

  /** The parsed object, or a finding saying why the line is not one. */
  public static Object parseObject(String line) {
    if (line.isBlank()) {
      return new Finding(QuarantineReason.MALFORMED_JSON, "blank line");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return new Finding(QuarantineReason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return new Finding(QuarantineReason.SCHEMA, "expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
    }
    return node;
  }

  /** Findings for keys that are not in {@code known}, naming them. */
  public static void unknownKeys(JsonNode node, Set<String> known, List<Finding> out) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        out.add(new Finding(QuarantineReason.SCHEMA, "unknown field " + Finding.quote(key)));
      }
    }
  }

  /** The string value of a required string field, or null after adding a finding. */
  public static String requiredString(JsonNode node, String key, List<Finding> out) {
    JsonNode v = node.get(key);
    if (v == null) {
      out.add(new Finding(QuarantineReason.SCHEMA, "missing field '" + key + "'"));
      return null;
    }
    if (!v.isTextual()) {
      out.add(new Finding(QuarantineReason.SCHEMA, "field '" + key + "' must be a string, got " + v.getNodeType().name().toLowerCase()));
      return null;
    }
    return v.textValue();
  }
}
