package ai.payable.core.catalog;

import java.util.Locale;

/** What a DataNet does with a record that contains personal data: the values of {@code datanets.pii_policy}. */
public enum PiiPolicy {
  /** The record is quarantined. */
  REJECT,
  /** The personal data is masked and the record accepted. */
  REDACT;

  /** The column value ({@code reject}, {@code redact}). */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy a column or declaration value names, in any case. */
  public static PiiPolicy of(String value) {
    for (PiiPolicy p : values()) {
      if (p.value().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("pii policy '" + value + "' is not one of reject, redact");
  }
}
