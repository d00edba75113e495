package ai.payable.core.catalog;

/** What became of an ingested line: the values of {@code ingest_batches.outcome}. */
public enum IngestOutcome implements ColumnValue {
  /** Written to the kind's accepted table. */
  ACCEPTED,
  /** Written to {@code quarantine} with its reasons. */
  QUARANTINED;

  /** The constant a column value names. */
  public static IngestOutcome of(String value) {
    return ColumnValue.parse(IngestOutcome.class, "ingest_batches.outcome", value);
  }
}
