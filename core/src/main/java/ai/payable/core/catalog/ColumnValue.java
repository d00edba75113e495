package ai.payable.core.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A value domain of a catalog column, implemented by an enum whose constants are stored as their
 * lower-case names ({@code MODEL_BUILDER} is {@code model_builder}).
 */
public interface ColumnValue {

  /** The constant's name (an enum's {@code name()}). */
  String name();

  /** The value stored in the column. */
  default String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The constant of {@code type} whose column value is {@code value}.
   *
   * @param column the table and column, for the message ({@code models.kind})
   * @throws IllegalArgumentException naming the column, the value and the values allowed
   */
  static <E extends Enum<E> & ColumnValue> E parse(Class<E> type, String column, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.value().equals(value)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(column + " = '" + value + "' is not one of "
        + Arrays.stream(type.getEnumConstants()).map(ColumnValue::value).collect(Collectors.joining(", ")));
  }
}
