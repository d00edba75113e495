package ai.payable.rewards.chain;

import ai.payable.core.catalog.DistributionStatus;
import ai.payable.rewards.distribution.DistributionLedger;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * Accepts the pending root once its timelock has passed (anyone may) and records the epoch as
 * accepted in {@code distributions}. Checks the chain's clock first, so an early call explains when
 * to come back instead of paying for a reverted transaction.
 */
public final class RootAcceptance {

  /**
   * What {@link #accept} did.
   *
   * @param pending the root that was accepted, empty when nothing was pending
   * @param txHash the accepting transaction
   * @param recorded whether the lakehouse's {@code distributions} row was updated
   */
  public record Result(Optional<DistributorState.PendingRoot> pending, String txHash, boolean recorded) {}

  /** The pending root's timelock has not ended by the chain's clock; nothing was sent. */
  public static final class TimelockNotOver extends IllegalStateException {
    private final transient DistributorState.PendingRoot pending;
    private final Duration left;

    TimelockNotOver(DistributorState.PendingRoot pending, Duration left) {
      super("the root " + pending.root() + " for " + pending.epoch() + " becomes acceptable at " + pending.validAt()
          + " chain time, in " + left.toMinutes() + " min " + left.toSecondsPart() + " s; accept it then; nothing sent");
      this.pending = pending;
      this.left = left;
    }

    /** The root that is waiting. */
    public DistributorState.PendingRoot pending() {
      return pending;
    }

    /** How long, by the chain's clock, until it can be accepted. */
    public Duration left() {
      return left;
    }
  }

  private final DistributionLedger ledger;
  private final EvmClient chain;
  private final String distributor;

  public RootAcceptance(DistributionLedger ledger, EvmClient chain, String distributor) {
    this.ledger = ledger;
    this.chain = chain;
    this.distributor = distributor;
  }

  /**
   * Accepts the pending root.
   *
   * @throws TimelockNotOver when its timelock has not passed yet (nothing sent)
   * @throws IllegalStateException when the guardian has paused the distributor (nothing sent)
   */
  public Result accept() throws IOException, TransactionException {
    DistributorState state = DistributorState.read(chain, distributor);
    if (state.pending().isEmpty()) {
      return new Result(Optional.empty(), null, false);
    }
    DistributorState.PendingRoot p = state.pending().get();
    if (state.paused()) {
      throw new IllegalStateException("the guardian has paused the distributor, which stops acceptance as well as claims; the root " + p.root()
          + " of " + p.epoch() + " waits until it is unpaused (or revoked); nothing sent");
    }
    if (state.chainTime().isBefore(p.validAt())) {
      throw new TimelockNotOver(p, Duration.between(state.chainTime(), p.validAt()));
    }
    TransactionReceipt receipt = chain.execute(distributor, chain.distributor(distributor).acceptRoot());
    boolean recorded = ledger != null && ledger.mark(p.epoch(), p.root(), DistributionStatus.ACCEPTED, receipt.getTransactionHash());
    return new Result(Optional.of(p), receipt.getTransactionHash(), recorded);
  }
}
