package ai.payable.core.catalog;

/** Why an input line went to quarantine: the values of {@code quarantine.reasons}. Each code is a named, documented check. */
public enum QuarantineReason {
  /** The line is not one well-formed JSON value (truncated, trailing garbage, duplicate keys). */
  MALFORMED_JSON,
  /** The bytes are not clean UTF-8 text (invalid sequences, NUL bytes). */
  ENCODING,
  /** Valid JSON of the wrong shape: missing, extra or mistyped fields, bad enum values or dates. */
  SCHEMA,
  /** The record names a DataNet that is not registered. */
  UNKNOWN_DATANET,
  /** The contributor is not a valid address (length, hex, EIP-55 checksum). */
  BAD_ADDRESS,
  /** The EIP-712 signature is malformed or does not recover to the signer the line names (the contributor, or the gateway). */
  BAD_SIGNATURE,
  /** The license is not among the DataNet's allowed licenses. */
  LICENSE_NOT_ALLOWED,
  /** Fewer words than the DataNet's minimum. */
  TOO_SHORT,
  /** More characters than the DataNet's maximum. */
  TOO_LONG,
  /** Written in a language the DataNet does not accept, or in none that can be identified. */
  LANGUAGE,
  /** Contains personal data and the DataNet rejects it. */
  PII,
  /** Fails a Gopher quality heuristic of the DataNet. */
  LOW_QUALITY,
  /** Same normalised content as an earlier record. */
  DUPLICATE,
  /** A light-edited copy of an earlier record: rarity-weighted shingle containment at or above the threshold. */
  NEAR_DUPLICATE,
  /**
   * The landing file was rewritten after it was ingested, other than by appending lines: its
   * checksum changed with its old content no longer at its start. What was ingested from it stays;
   * its new lines are not taken, since a changed log could re-price or re-credit answers already
   * paid. Land corrections as new files.
   */
  CONFLICTING_REWRITE,
  /** Inference logs: a fee that is not a non-negative integer string of wei. */
  BAD_FEE,
  /** Inference logs: the line carries no gateway signature. */
  UNSIGNED,
  /** Inference logs: signed by a gateway that is not registered in {@code gateways}. */
  UNKNOWN_GATEWAY,
  /** Inference logs: the adapter is not in the model registry, or is not an adapter of the line's model. */
  UNKNOWN_ADAPTER,
  /** Inference logs: a retrieved record is not an accepted record of the DataNets the answering adapter serves. */
  FOREIGN_RECORD,
  /** Inference logs: the model id is not in the model registry. */
  UNKNOWN_MODEL
}
