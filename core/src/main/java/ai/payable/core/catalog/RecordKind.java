package ai.payable.core.catalog;

/** The form of a DataNet record: the values of {@code records.kind}. */
public enum RecordKind implements ColumnValue {
  /** A question ({@code prompt}) and its answer ({@code completion}). */
  QA,
  /** A passage of text ({@code text}). */
  TEXT;

  /** The constant a column value names. */
  public static RecordKind of(String value) {
    return ColumnValue.parse(RecordKind.class, "records.kind", value);
  }
}
