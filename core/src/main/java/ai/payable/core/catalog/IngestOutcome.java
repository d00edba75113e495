package ai.payable.core.catalog;

import java.util.Locale;

/** What became of an ingested line: the values of {@code ingest_batches.outcome}. */
public enum IngestOutcome {
  /** Written to the kind's accepted table. */
  ACCEPTED,
  /** Written to {@code quarantine} with its reasons. */
  QUARANTINED;

  /** The column value ({@code accepted}, {@code quarantined}). */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outcome a column value names. */
  public static IngestOutcome of(String value) {
    for (IngestOutcome o : values()) {
      if (o.value().equals(value)) {
        return o;
      }
    }
    throw new IllegalArgumentException("ingest outcome '" + value + "' is not one of accepted, quarantined");
  }
}
