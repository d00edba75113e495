package ai.payable.rewards.chain;

import ai.payable.rewards.chain.binding.RewardsDistributor;
import java.io.IOException;
import java.math.BigInteger;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * Whether a distributor holds enough tokens for a root: after the root is accepted it owes every
 * account its cumulative balance minus what it already claimed, so it must hold at least the new
 * cumulative total minus everything ever claimed. Claims are summed from the {@code Claimed} events
 * (the contract keeps no running total, which would cost every claim an extra storage write).
 *
 * @param token the reward token
 * @param balance what the distributor holds now
 * @param totalClaimed everything paid out so far
 * @param owed what it will owe once the root is accepted
 */
record DistributorFunding(String token, BigInteger balance, BigInteger totalClaimed, BigInteger owed) {

  /** Log queries span at most this many blocks, a limit most hosted L2 endpoints impose. */
  static final long LOG_WINDOW = 10_000;

  /** How much is missing (zero when funded). */
  public BigInteger shortfall() {
    return owed.subtract(balance).max(BigInteger.ZERO);
  }

  /**
   * Reads the funding of {@code distributor} for a root whose balances sum to {@code cumulativeTotal}.
   *
   * @param fromBlock the block the distributor was deployed in (or 0), where the event scan starts
   */
  public static DistributorFunding read(EvmClient chain, String distributor, BigInteger cumulativeTotal, long fromBlock) throws IOException {
    String token = chain.read(chain.distributor(distributor).TOKEN());
    BigInteger balance = chain.read(chain.erc20(token).balanceOf(distributor));
    BigInteger claimed = totalClaimed(chain, distributor, fromBlock);
    return new DistributorFunding(token, balance, claimed, cumulativeTotal.subtract(claimed));
  }

  /** Sums the amounts of every {@code Claimed} event of {@code distributor} since {@code fromBlock}. */
  public static BigInteger totalClaimed(EvmClient chain, String distributor, long fromBlock) throws IOException {
    long latest = chain.web3().ethBlockNumber().send().getBlockNumber().longValueExact();
    String topic = EventEncoder.encode(RewardsDistributor.CLAIMED_EVENT);
    BigInteger total = BigInteger.ZERO;
    for (long start = fromBlock; start <= latest; start += LOG_WINDOW) {
      EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(start),
          new DefaultBlockParameterNumber(Math.min(latest, start + LOG_WINDOW - 1)), distributor);
      filter.addSingleTopic(topic);
      EthLog logs = chain.web3().ethGetLogs(filter).send();
      if (logs.hasError()) {
        throw new IOException("eth_getLogs failed for blocks " + start + "+: " + logs.getError().getMessage());
      }
      for (EthLog.LogResult<?> result : logs.getLogs()) {
        total = total.add(RewardsDistributor.getClaimedEventFromLog((Log) result.get()).amount);
      }
    }
    return total;
  }

  /**
   * Transfers the shortfall from the sender's own token balance to the distributor.
   *
   * @return the amount sent (zero when nothing was missing)
   * @throws IllegalStateException when the sender holds too little
   */
  public BigInteger topUp(EvmClient chain, String distributor) throws IOException, TransactionException {
    BigInteger missing = shortfall();
    if (missing.signum() == 0) {
      return BigInteger.ZERO;
    }
    BigInteger available = chain.read(chain.erc20(token).balanceOf(chain.from()));
    if (available.compareTo(missing) < 0) {
      throw new IllegalStateException("the distributor needs " + missing + " wei more of token " + token + " but the sender "
          + chain.from() + " holds only " + available + "; fund the sender or the distributor, then re-run; nothing sent");
    }
    chain.execute(token, chain.erc20(token).transfer(distributor, missing));
    return missing;
  }
}
