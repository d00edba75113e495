package ai.payable.core.catalog;

/** Where an epoch's distribution stands: the values of {@code distributions.status}. */
public enum DistributionStatus implements ColumnValue {
  /** Files written and the row recorded; not on chain (never proposed, or its proposal was revoked). */
  BUILT,
  /** Its root is pending on the distributor, in the timelock. */
  PROPOSED,
  /** Its root is the distributor's accepted root, or was: claims against it were possible. */
  ACCEPTED;

  /** The constant a column value names. */
  public static DistributionStatus of(String value) {
    return ColumnValue.parse(DistributionStatus.class, "distributions.status", value);
  }
}
