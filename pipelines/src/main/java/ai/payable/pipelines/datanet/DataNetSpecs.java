package ai.payable.pipelines.datanet;

import ai.payable.core.catalog.PiiPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads DataNet declarations from YAML ({@code datanets: [ {id: ..., ...}, ... ]}). Every unset key
 * takes the documented default; an unknown key or a bad value fails with the file, DataNet and key
 * named, so a typo never silently loosens a policy.
 */
public final class DataNetSpecs {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Set<String> KEYS = keys();

  private DataNetSpecs() {}

  /** Parses a YAML file of DataNet declarations. */
  public static List<DataNetPolicy> read(Path file) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    return parse(root, file.toString());
  }

  /** Parses YAML text; {@code source} names it in error messages. */
  public static List<DataNetPolicy> parse(String yaml, String source) throws IOException {
    return parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), source);
  }

  private static List<DataNetPolicy> parse(JsonNode root, String source) {
    if (root == null || !root.path("datanets").isArray()) {
      throw new IllegalArgumentException(source + ": expected a top-level 'datanets:' list");
    }
    List<DataNetPolicy> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int index = 0;
    for (JsonNode node : root.get("datanets")) {
      String where = source + ": datanets[" + index++ + "]";
      DataNetPolicy policy = parseOne(node, where);
      if (!seen.add(policy.id())) {
        throw new IllegalArgumentException(where + ": DataNet id '" + policy.id() + "' is declared twice");
      }
      out.add(policy);
    }
    return out;
  }

  private static DataNetPolicy parseOne(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping with at least 'id'");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
      }
    }
    String id = node.path("id").asText("");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          where + ": id '" + id + "' must be 1-64 of a-z, 0-9, '_' or '-', starting alphanumeric");
    }
    where = where + " (" + id + ")";
    String pii = text(node, "pii", PiiPolicy.REJECT.value(), where);
    if (Arrays.stream(PiiPolicy.values()).noneMatch(policy -> policy.value().equalsIgnoreCase(pii))) {
      throw new IllegalArgumentException(where + ": pii must be 'reject' or 'redact', got '" + pii + "'");
    }
    DataNetPolicy p =
        new DataNetPolicy(
            id,
            text(node, "domain", "general", where),
            list(node, "licenses", DataNetPolicy.DEFAULT_LICENSES, where),
            list(node, "languages", DataNetPolicy.DEFAULT_LANGUAGES, where),
            PiiPolicy.of(pii),
            (int) number(node, "min_words", DataNetPolicy.DEFAULT_MIN_WORDS, 0, 1_000_000, where),
            (int) number(node, "max_chars", DataNetPolicy.DEFAULT_MAX_CHARS, 1, 8_000_000, where),
            number(node, "near_duplicate_similarity", DataNetPolicy.DEFAULT_NEAR_DUPLICATE_SIMILARITY, 0.3, 1.0, where),
            quality(node, where));
    if (p.threshold(QualityRule.MIN_MEAN_WORD_LENGTH) > p.threshold(QualityRule.MAX_MEAN_WORD_LENGTH)) {
      throw new IllegalArgumentException(where + ": min_mean_word_length exceeds max_mean_word_length");
    }
    return p;
  }

  private static Map<QualityRule, Double> quality(JsonNode node, String where) {
    Map<QualityRule, Double> out = new EnumMap<>(QualityRule.class);
    for (QualityRule rule : QualityRule.values()) {
      out.put(rule, number(node, rule.key(), rule.defaultThreshold(), rule.lowest(), rule.highest(), where));
    }
    return out;
  }

  private static Set<String> keys() {
    Set<String> keys = new HashSet<>(Set.of("id", "domain", "licenses", "languages", "pii", "min_words", "max_chars", "near_duplicate_similarity"));
    for (QualityRule rule : QualityRule.values()) {
      keys.add(rule.key());
    }
    return Set.copyOf(keys);
  }

  private static String text(JsonNode node, String key, String fallback, String where) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": '" + key + "' must be a non-empty string, got " + v);
    }
    return v.asText();
  }

  private static List<String> list(JsonNode node, String key, List<String> fallback, String where) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isArray() || v.isEmpty()) {
      throw new IllegalArgumentException(where + ": '" + key + "' must be a non-empty list, got " + v);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new IllegalArgumentException(where + ": '" + key + "' holds a non-string item " + item);
      }
      out.add(item.asText());
    }
    return List.copyOf(out);
  }

  private static double number(JsonNode node, String key, double fallback, double min, double max, String where) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw new IllegalArgumentException(
          where + ": '" + key + "' must be a number in [" + min + ", " + max + "], got " + v);
    }
    return v.asDouble();
  }
}
