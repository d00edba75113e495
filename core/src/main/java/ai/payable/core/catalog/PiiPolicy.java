package ai.payable.core.catalog;

/** What a DataNet does with a record that contains personal data: the values of {@code datanets.pii_policy}. */
public enum PiiPolicy implements ColumnValue {
  /** The record is quarantined. */
  REJECT,
  /** The personal data is masked and the record accepted. */
  REDACT;

  /** The constant a column value names. */
  public static PiiPolicy of(String value) {
    return ColumnValue.parse(PiiPolicy.class, "datanets.pii_policy", value);
  }
}
