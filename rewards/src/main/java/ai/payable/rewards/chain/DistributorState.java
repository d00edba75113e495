package ai.payable.rewards.chain;

import ai.payable.core.crypto.Hex;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.web3j.tuples.generated.Tuple4;

/**
 * A distributor's on-chain state at the latest block.
 *
 * @param root the accepted root claims are checked against (zero before the first acceptance)
 * @param epoch the accepted root's epoch, empty before the first acceptance
 * @param pending the root waiting for its timelock, if any
 * @param timelockSeconds the wait applied to roots submitted from now on
 * @param paused whether claims are paused
 * @param token the reward token
 * @param balance the tokens the distributor holds
 * @param totalClaimed everything paid out so far
 * @param chainTime the latest block's time
 */
public record DistributorState(String root, Optional<LocalDate> epoch, Optional<PendingRoot> pending, long timelockSeconds,
    boolean paused, String token, BigInteger balance, BigInteger totalClaimed, Instant chainTime) {

  /** A submitted root and when it becomes acceptable. */
  public record PendingRoot(String root, LocalDate epoch, String contentHash, Instant validAt) {}

  /** Reads the state of {@code distributor}; {@code fromBlock} bounds the scan of claim events. */
  public static DistributorState read(EvmClient chain, String distributor, long fromBlock) throws IOException {
    RewardsDistributor d = chain.distributor(distributor);
    long epochDay = chain.read(d.epoch()).longValueExact();
    Tuple4<byte[], byte[], BigInteger, BigInteger> p = chain.read(d.pendingRoot());
    Optional<PendingRoot> pending = Hex.encode(p.component1()).equals(Hex.encode(new byte[32]))
        ? Optional.empty()
        : Optional.of(new PendingRoot(Hex.encode(p.component1()), LocalDate.ofEpochDay(p.component3().longValueExact()),
            Hex.encode(p.component2()), Instant.ofEpochSecond(p.component4().longValueExact())));
    String token = chain.read(d.TOKEN());
    return new DistributorState(Hex.encode(chain.read(d.root())), epochDay == 0 ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(epochDay)),
        pending, chain.read(d.timelock()).longValueExact(), chain.read(d.paused()), token, chain.read(chain.erc20(token).balanceOf(distributor)),
        DistributorFunding.totalClaimed(chain, distributor, fromBlock), Instant.ofEpochSecond(chain.chainTime()));
  }
}
