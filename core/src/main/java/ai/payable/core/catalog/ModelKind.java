package ai.payable.core.catalog;

import java.util.Locale;

/** What a row of {@code models} is: the values of its {@code kind} column. */
public enum ModelKind {
  /** A pretrained checkpoint imported from Hugging Face layout. */
  BASE,
  /** A model trained from scratch on the records, that students learn from. */
  TEACHER,
  /** A smaller model distilled from a teacher (from scratch, or keeping some of the teacher's layers). */
  STUDENT,
  /** A LoRA adapter on a base, teacher or student, usually for one DataNet. */
  ADAPTER;

  /** The column value ({@code base}, {@code teacher}, …). */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind a column value names. */
  public static ModelKind of(String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("models.kind = '" + value + "' is not one of base, teacher, student, adapter", e);
    }
  }
}
