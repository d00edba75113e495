package ai.payable.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * YAML files people write (DataNet declarations, training specs), bound to records strictly: an
 * unknown key, a key given twice or a value of the wrong type is a {@link Problem} naming where it
 * is and what was written, never a silent default or a coercion ("5" is not a number, 5.5 not a
 * whole number). Each reader words its own message from the problem, then checks the values.
 */
public final class StrictYaml {

  private static final ObjectMapper MAPPER = YAMLMapper.builder()
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private StrictYaml() {}

  /**
   * Why a document does not bind.
   *
   * @param container the path of the mapping or list holding the value ("" at the top, {@code datanets[1]}, {@code lora})
   * @param key the key, or null for a list item
   * @param written the value as written, in JSON, or null when absent
   * @param expected what the key takes: "a whole number", "a number", "true or false", "text", "a list", "a mapping"
   * @param known the keys the mapping takes, for an unknown key; empty otherwise
   */
  public record Problem(String container, String key, String written, String expected, Set<String> known) {

    /** Whether the key is not one the mapping takes. */
    public boolean unknownKey() {
      return !known.isEmpty();
    }

    /** The dotted path of the value ({@code lora.rank}, {@code datanets[1].min_words}). */
    public String path() {
      return key == null ? container : container.isEmpty() ? key : container + "." + key;
    }
  }

  /** A document that does not bind; {@link #problem()} says where and why. */
  public static final class BindingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    BindingException(Problem problem, Throwable cause) {
      super(problem.path() + ": " + (problem.unknownKey() ? "unknown key" : "must be " + problem.expected() + ", got " + problem.written()), cause);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  /**
   * The document's tree (null for an empty one).
   *
   * @throws JsonProcessingException when it is not YAML, or repeats a key
   */
  public static JsonNode tree(String yaml) throws JsonProcessingException {
    return MAPPER.readTree(yaml);
  }

  /** {@code tree} bound to {@code type}; a {@link BindingException} when it does not fit. */
  public static <T> T bind(JsonNode tree, Class<T> type) {
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (JsonMappingException e) {
      throw new BindingException(problem(e, tree), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  private static Problem problem(JsonMappingException e, JsonNode tree) {
    StringBuilder container = new StringBuilder();
    JsonNode node = tree;
    String key = null;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (key != null) {
        container.append(container.length() == 0 ? "" : ".").append(key);
      }
      if (ref.getFieldName() != null) {
        key = ref.getFieldName();
        node = node.path(key);
      } else {
        container.append('[').append(ref.getIndex()).append(']');
        node = node.path(ref.getIndex());
        key = null;
      }
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      Set<String> known = new TreeSet<>();
      Optional.ofNullable(unknown.getKnownPropertyIds()).ifPresent(ids -> ids.forEach(id -> known.add(String.valueOf(id))));
      return new Problem(container.toString(), unknown.getPropertyName(), node.isMissingNode() ? null : node.toString(), "", known);
    }
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    return new Problem(container.toString(), key, node.isMissingNode() ? null : node.toString(), expected(target), Set.of());
  }

  private static String expected(Class<?> target) {
    if (target == null) {
      return "of another type";
    }
    if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
      return "a whole number";
    }
    if (target == Double.class || target == double.class || target == Float.class || target == float.class) {
      return "a number";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    if (target == String.class) {
      return "text";
    }
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "a list";
    }
    return Map.class.isAssignableFrom(target) || target.isRecord() ? "a mapping" : "of another type";
  }
}
