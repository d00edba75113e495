package ai.payable.core.catalog;

/** Where a record's credit for an answer comes from: the {@code method} column of {@code attributions}. */
public enum AttributionMethod implements ColumnValue {
  /** Gradient influence of the record on the answer's loss, through the adapter's LoRA parameters. */
  GRADIENT,
  /** The answer reproduces spans of the record's text (suffix-array matching over the training corpus). */
  SPAN,
  /** The serving system retrieved the record for the answer (RAG). */
  RETRIEVAL,
  /** No positive evidence: the data share goes pro rata over the adapter's training records. */
  FALLBACK;
}
