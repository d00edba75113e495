package ai.payable.rewards.chain;

import ai.payable.core.crypto.Hex;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.tuples.generated.Tuple4;

/**
 * A distributor's state as governance and operators read it: the accepted and pending roots, the
 * timelock and any pending change of it, pause, and funding (balance against everything claimed).
 */
public record DistributorState(String root, Optional<LocalDate> epoch, Optional<PendingRoot> pending, long timelockSeconds,
    Optional<PendingTimelock> pendingTimelock, boolean paused, String token, BigInteger balance, BigInteger totalClaimed, Instant chainTime) {

  /** A submitted root and when it becomes acceptable. */
  public record PendingRoot(String root, LocalDate epoch, String contentHash, Instant validAt) {}

  /** A proposed timelock and when it takes effect. */
  public record PendingTimelock(Duration timelock, Instant validAt) {}

  private static final String NO_ROOT = Hex.encode(new byte[32]);

  /** Reads the state of {@code distributor}. */
  public static DistributorState read(EvmClient chain, String distributor) throws IOException {
    RewardsDistributor d = chain.distributor(distributor);
    long epochDay = chain.read(d.epoch()).longValueExact();
    Tuple4<byte[], byte[], BigInteger, BigInteger> p = chain.read(d.pendingRoot());
    Optional<PendingRoot> pending = Hex.encode(p.component1()).equals(NO_ROOT)
        ? Optional.empty()
        : Optional.of(new PendingRoot(Hex.encode(p.component1()), LocalDate.ofEpochDay(p.component3().longValueExact()),
            Hex.encode(p.component2()), Instant.ofEpochSecond(p.component4().longValueExact())));
    Tuple2<BigInteger, BigInteger> t = chain.read(d.pendingTimelock());
    Optional<PendingTimelock> pendingTimelock = t.component2().signum() == 0
        ? Optional.empty()
        : Optional.of(new PendingTimelock(Duration.ofSeconds(t.component1().longValueExact()), Instant.ofEpochSecond(t.component2().longValueExact())));
    String token = chain.read(d.TOKEN());
    return new DistributorState(Hex.encode(chain.read(d.root())), epochDay == 0 ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(epochDay)),
        pending, chain.read(d.timelock()).longValueExact(), pendingTimelock, chain.read(d.paused()), token,
        chain.read(chain.erc20(token).balanceOf(distributor)), chain.read(d.totalClaimed()), Instant.ofEpochSecond(chain.chainTime()));
  }
}
