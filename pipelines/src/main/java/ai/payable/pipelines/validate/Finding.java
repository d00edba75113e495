package ai.payable.pipelines.validate;

import ai.payable.core.catalog.QuarantineReason;
import java.io.Serializable;

/** One failed check: its reason code and a message naming the field and value at fault. */
record Finding(QuarantineReason reason, String detail) implements Serializable {

  /** Shortens a value for an error message so a 50 MB field does not end up in a log line. */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    return value.length() <= 60 ? "'" + value + "'" : "'" + value.substring(0, 57) + "...' (" + value.length() + " chars)";
  }
}
