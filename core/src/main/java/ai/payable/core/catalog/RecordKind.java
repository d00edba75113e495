package ai.payable.core.catalog;

import java.util.Locale;

/** The form of a DataNet record: the values of {@code records.kind}. */
public enum RecordKind {
  /** A question ({@code prompt}) and its answer ({@code completion}). */
  QA,
  /** A passage of text ({@code text}). */
  TEXT;

  /** The column value ({@code qa}, {@code text}). */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind a column value names. */
  public static RecordKind of(String value) {
    for (RecordKind k : values()) {
      if (k.value().equals(value)) {
        return k;
      }
    }
    throw new IllegalArgumentException("record kind '" + value + "' is not one of qa, text");
  }
}
