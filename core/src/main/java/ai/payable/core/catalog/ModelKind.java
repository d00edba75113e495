package ai.payable.core.catalog;

/** What a row of {@code models} is: the values of its {@code kind} column. */
public enum ModelKind implements ColumnValue {
  /** A pretrained checkpoint imported from Hugging Face layout. */
  BASE,
  /** A model trained from scratch on the records, that students learn from. */
  TEACHER,
  /** A smaller model distilled from a teacher (from scratch, or keeping some of the teacher's layers). */
  STUDENT,
  /** A LoRA adapter on a base, teacher or student, usually for one DataNet. */
  ADAPTER;

  /** The constant a column value names. */
  public static ModelKind of(String value) {
    return ColumnValue.parse(ModelKind.class, "models.kind", value);
  }
}
