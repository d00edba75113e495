package ai.payable.rewards.merkle;

import ai.payable.core.identity.Address;
import java.math.BigInteger;

/** One leaf of a distribution: everything {@code account} has earned up to an epoch, in wei. */
public record CumulativeBalance(Address account, BigInteger cumulativeWei) {

  /** {@code uint256} bound checked here so a bad amount never reaches the tree. */
  private static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

  public CumulativeBalance {
    if (cumulativeWei.signum() < 0 || cumulativeWei.compareTo(UINT256_MAX) > 0) {
      throw new IllegalArgumentException("cumulative amount " + cumulativeWei + " is not a uint256");
    }
  }
}
