package ai.payable.rewards.merkle;

import ai.payable.core.identity.Address;

/**
 * Where a distribution's leaves can be claimed: the chain, the distributor contract and the token
 * it pays. Every leaf commits to all three (as Merkl's and Morpho's distributors bind theirs), so
 * a tree posted on a second distributor, chain or token proves nothing there: the same balances
 * cannot be paid twice.
 */
public record ClaimDomain(long chainId, Address distributor, Address token) {

  public ClaimDomain {
    if (chainId <= 0) {
      throw new IllegalArgumentException("chain id " + chainId + " is not a positive integer");
    }
  }

  /** Convenience for addresses in {@code 0x}-hex. */
  public static ClaimDomain of(long chainId, String distributor, String token) {
    return new ClaimDomain(chainId, Address.parse(distributor), Address.parse(token));
  }

  @Override
  public String toString() {
    return "distributor " + distributor.checksummed() + " on chain " + chainId + " paying token " + token.checksummed();
  }
}
