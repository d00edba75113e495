package ai.payable.rewards.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Whether a distributor holds enough tokens for a root: after the root is accepted it owes every
 * account its cumulative balance minus what it already claimed, so it must hold at least the new
 * cumulative total minus everything ever claimed (the contract's {@code totalClaimed}).
 *
 * @param token the reward token
 * @param balance what the distributor holds now
 * @param totalClaimed everything paid out so far
 * @param owed what the distributor will owe under the new root
 */
public record DistributorFunding(String token, BigInteger balance, BigInteger totalClaimed, BigInteger owed) {

  /** How much is missing (zero when funded). */
  public BigInteger shortfall() {
    return owed.subtract(balance).max(BigInteger.ZERO);
  }

  /** Reads the funding of {@code distributor} for a root whose balances sum to {@code cumulativeTotal}. */
  public static DistributorFunding read(EvmClient chain, String distributor, BigInteger cumulativeTotal) throws IOException {
    var d = chain.distributor(distributor);
    String token = chain.read(d.TOKEN());
    BigInteger balance = chain.read(chain.erc20(token).balanceOf(distributor));
    BigInteger claimed = chain.read(d.totalClaimed());
    return new DistributorFunding(token, balance, claimed, cumulativeTotal.subtract(claimed));
  }

  /**
   * The call that sends the distributor exactly its shortfall: from {@code funder} with {@code
   * transferFrom} (the funding account approved the sender beforehand, the usual treasury
   * arrangement), or from the sender's own balance when {@code funder} is empty. Empty when
   * nothing is missing.
   *
   * @throws IllegalStateException when the funder holds or allows too little, naming the amounts
   */
  public Optional<RemoteFunctionCall<TransactionReceipt>> topUp(EvmClient chain, String distributor, Optional<String> funder) throws IOException {
    BigInteger missing = shortfall();
    if (missing.signum() == 0) {
      return Optional.empty();
    }
    var erc20 = chain.erc20(token);
    String from = funder.orElse(chain.from());
    BigInteger available = chain.read(erc20.balanceOf(from));
    if (available.compareTo(missing) < 0) {
      throw new IllegalStateException("the distributor needs " + missing + " wei more of token " + token + " but the funding account " + from
          + " holds only " + available + "; fund it, then re-run; nothing sent");
    }
    if (funder.isEmpty()) {
      return Optional.of(erc20.transfer(distributor, missing));
    }
    BigInteger allowance = chain.read(erc20.allowance(from, chain.from()));
    if (allowance.compareTo(missing) < 0) {
      throw new IllegalStateException("the distributor needs " + missing + " wei more of token " + token + " but the funding account " + from
          + " allows the proposer " + chain.from() + " to move only " + allowance + "; have it approve(" + chain.from() + ", …) for at least "
          + missing + ", then re-run; nothing sent");
    }
    return Optional.of(erc20.transferFrom(from, distributor, missing));
  }
}
