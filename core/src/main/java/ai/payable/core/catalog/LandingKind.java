package ai.payable.core.catalog;

/**
 * What a landing file holds: the values of {@code ingested_files.kind} and
 * {@code ingest_batches.kind} ({@link #value}) and of {@code quarantine.kind} ({@link #lineValue}).
 */
public enum LandingKind {
  /** Signed DataNet records, accepted into {@code records}. */
  SUBMISSIONS("submissions", "submission", "sub-"),
  /** Inference log lines, accepted into {@code inferences}. */
  INFERENCES("inferences", "inference", "inf-");

  private final String value;
  private final String lineValue;
  private final String batchPrefix;

  LandingKind(String value, String lineValue, String batchPrefix) {
    this.value = value;
    this.lineValue = lineValue;
    this.batchPrefix = batchPrefix;
  }

  /** The kind of a file or a batch ({@code submissions}, {@code inferences}). */
  public String value() {
    return value;
  }

  /** The kind of one quarantined line ({@code submission}, {@code inference}). */
  public String lineValue() {
    return lineValue;
  }

  /** The prefix of this kind's batch ids, so that kinds sharing a table stay apart. */
  public String batchPrefix() {
    return batchPrefix;
  }
}
