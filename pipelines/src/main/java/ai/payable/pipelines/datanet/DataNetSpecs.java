package ai.payable.pipelines.datanet;

import ai.payable.core.catalog.PiiPolicy;
import ai.payable.core.config.StrictYaml;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads DataNet declarations from YAML ({@code datanets: [ {id: ..., ...}, ... ]}): the file is
 * bound strictly to {@link Declaration} records ({@link StrictYaml}), then each is checked. Every unset key
 * takes the documented default; an unknown key or a bad value fails with the file, DataNet and key
 * named, so a typo never silently loosens a policy.
 */
public final class DataNetSpecs {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern DECLARATION = Pattern.compile("datanets\\[(\\d+)]");

  private DataNetSpecs() {}

  /** A file of declarations as written. */
  record DeclarationFile(@JsonProperty(value = "datanets", required = true) List<Declaration> datanets) {}

  /**
   * One DataNet as declared; null where the file leaves a key out (its default applies).
   *
   * @param thresholds the Gopher rule thresholds, by their policy keys, and any key no field names
   *     (checked against the rules, so a typo is reported)
   */
  record Declaration(String id, String domain, List<String> licenses, List<String> languages, String pii,
      @JsonProperty("min_words") Integer minWords, @JsonProperty("max_chars") Integer maxChars,
      @JsonProperty("near_duplicate_similarity") Double nearDuplicateSimilarity, @JsonAnySetter Map<String, Object> thresholds) {}

  /** Parses a YAML file of DataNet declarations. */
  public static List<DataNetPolicy> read(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /** Parses YAML text; {@code source} names it in error messages. */
  public static List<DataNetPolicy> parse(String yaml, String source) throws IOException {
    JsonNode tree = StrictYaml.tree(yaml);
    if (tree == null || !tree.path("datanets").isArray()) {
      throw new IllegalArgumentException(source + ": expected a top-level 'datanets:' list");
    }
    DeclarationFile file;
    try {
      file = StrictYaml.bind(tree, DeclarationFile.class);
    } catch (StrictYaml.BindingException e) {
      throw new IllegalArgumentException(message(e.problem(), tree, source), e);
    }
    List<DataNetPolicy> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < file.datanets().size(); i++) {
      String where = source + ": datanets[" + i + "]";
      Declaration d = file.datanets().get(i);
      if (d == null) {
        throw new IllegalArgumentException(where + ": expected a mapping with at least 'id'");
      }
      DataNetPolicy policy = policy(d, where);
      if (!seen.add(policy.id())) {
        throw new IllegalArgumentException(where + ": DataNet id '" + policy.id() + "' is declared twice");
      }
      out.add(policy);
    }
    return out;
  }

  private static DataNetPolicy policy(Declaration d, String where) {
    Map<String, Object> thresholds = d.thresholds() == null ? Map.of() : d.thresholds();
    for (String key : thresholds.keySet()) {
      if (QualityRule.byKey(key).isEmpty()) {
        throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: " + String.join(", ", knownKeys()) + ")");
      }
    }
    String id = d.id() == null ? "" : d.id();
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(where + ": id '" + id + "' must be 1-64 of a-z, 0-9, '_' or '-', starting alphanumeric");
    }
    where = where + " (" + id + ")";
    String pii = text("pii", d.pii(), PiiPolicy.REJECT.value(), where);
    if (Arrays.stream(PiiPolicy.values()).noneMatch(policy -> policy.value().equalsIgnoreCase(pii))) {
      throw new IllegalArgumentException(where + ": pii must be 'reject' or 'redact', got '" + pii + "'");
    }
    Map<QualityRule, Double> quality = new EnumMap<>(QualityRule.class);
    for (QualityRule rule : QualityRule.values()) {
      Object given = thresholds.get(rule.key());
      if (given != null && !(given instanceof Number)) {
        throw new IllegalArgumentException(where + ": '" + rule.key() + "' must be a number in [" + rule.lowest() + ", " + rule.highest() + "], got " + given);
      }
      quality.put(rule, number(rule.key(), given == null ? null : ((Number) given).doubleValue(), rule.defaultThreshold(), rule.lowest(), rule.highest(), where));
    }
    DataNetPolicy p = new DataNetPolicy(
        id,
        text("domain", d.domain(), "general", where),
        list("licenses", d.licenses(), DataNetPolicy.DEFAULT_LICENSES, where),
        list("languages", d.languages(), DataNetPolicy.DEFAULT_LANGUAGES, where),
        PiiPolicy.of(pii.toLowerCase(Locale.ROOT)),
        (int) number("min_words", d.minWords() == null ? null : d.minWords().doubleValue(), DataNetPolicy.DEFAULT_MIN_WORDS, 0, 1_000_000, where),
        (int) number("max_chars", d.maxChars() == null ? null : d.maxChars().doubleValue(), DataNetPolicy.DEFAULT_MAX_CHARS, 1, 8_000_000, where),
        number("near_duplicate_similarity", d.nearDuplicateSimilarity(), DataNetPolicy.DEFAULT_NEAR_DUPLICATE_SIMILARITY, 0.3, 1.0, where),
        quality);
    if (p.threshold(QualityRule.MIN_MEAN_WORD_LENGTH) > p.threshold(QualityRule.MAX_MEAN_WORD_LENGTH)) {
      throw new IllegalArgumentException(where + ": min_mean_word_length exceeds max_mean_word_length");
    }
    return p;
  }

  /** Every key a declaration may have, sorted. */
  private static Set<String> knownKeys() {
    Set<String> keys = new TreeSet<>(Set.of("id", "domain", "licenses", "languages", "pii", "min_words", "max_chars", "near_duplicate_similarity"));
    Arrays.stream(QualityRule.values()).forEach(rule -> keys.add(rule.key()));
    return keys;
  }

  /**
   * A value of the wrong type or an unknown key, named as the checks name theirs: the file, the
   * DataNet (with its id when the file gives one), the key and the value written.
   */
  private static String message(StrictYaml.Problem problem, JsonNode tree, String source) {
    Matcher declaration = DECLARATION.matcher(problem.path());
    if (!declaration.lookingAt()) {
      return problem.unknownKey() ? source + ": unknown key '" + problem.key() + "' (known: datanets)"
          : source + ": '" + problem.path() + "' must be " + problem.expected() + ", got " + problem.written();
    }
    JsonNode node = tree.path("datanets").path(Integer.parseInt(declaration.group(1)));
    String where = source + ": datanets[" + declaration.group(1) + "]" + (node.path("id").isTextual() ? " (" + node.path("id").asText() + ")" : "");
    String key = problem.path().substring(declaration.end()).replaceFirst("^\\.", "");
    if (key.isEmpty()) {
      return where + ": expected a mapping with at least 'id', got " + problem.written();
    }
    return where + ": '" + key + "' must be " + problem.expected() + ", got " + problem.written();
  }

  private static String text(String key, String value, String fallback, String where) {
    if (value == null) {
      return fallback;
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(where + ": '" + key + "' must be a non-empty string, got \"" + value + "\"");
    }
    return value;
  }

  private static List<String> list(String key, List<String> value, List<String> fallback, String where) {
    if (value == null) {
      return fallback;
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException(where + ": '" + key + "' must be a non-empty list, got []");
    }
    for (String item : value) {
      if (item == null || item.isBlank()) {
        throw new IllegalArgumentException(where + ": '" + key + "' holds an empty item");
      }
    }
    return List.copyOf(value);
  }

  private static double number(String key, Double value, double fallback, double min, double max, String where) {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max || value.isNaN()) {
      throw new IllegalArgumentException(where + ": '" + key + "' must be a number in [" + min + ", " + max + "], got " + format(value));
    }
    return value;
  }

  // 2.0 is written as it was in the file (2), as the old messages did.
  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
  }
}
