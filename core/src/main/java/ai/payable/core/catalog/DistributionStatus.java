package ai.payable.core.catalog;

import java.util.Locale;

/** Where an epoch's distribution stands: the values of {@code distributions.status}. */
public enum DistributionStatus {
  /** Files written and the row recorded; not on chain (never proposed, or its proposal was revoked). */
  BUILT,
  /** Its root is pending on the distributor, in the timelock. */
  PROPOSED,
  /** Its root is the distributor's accepted root, or was: claims against it were possible. */
  ACCEPTED;

  /** The column value ({@code built}, {@code proposed}, {@code accepted}). */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status a column value names. */
  public static DistributionStatus of(String value) {
    for (DistributionStatus s : values()) {
      if (s.value().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("distribution status '" + value + "' is not one of built, proposed, accepted");
  }
}
