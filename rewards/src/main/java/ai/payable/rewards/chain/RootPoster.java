package ai.payable.rewards.chain;

import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.crypto.Hex;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.distribution.DistributionLedger;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * Proposes an epoch's root on-chain, idempotently: it reads the chain first and sends nothing when
 * the same root is already pending or accepted for the epoch, and refuses when a different root
 * sits there. A pending root of another epoch is never replaced implicitly: only with a stated
 * reason, through the contract's {@code replacePendingRoot}, which emits what was dropped. Before
 * sending, it checks the distributor holds enough tokens for the new balances, topping it up when
 * asked to. On-chain epochs are UTC day numbers.
 */
public final class RootPoster {

  /** What {@link #propose} did. */
  public enum Outcome {
    SENT,
    REPLACED,
    ALREADY_PENDING,
    ALREADY_ACCEPTED
  }

  /**
   * How a shortfall of tokens is handled.
   *
   * @param topUp send the distributor the shortfall instead of refusing
   * @param from the funding account that approved the proposer ({@code transferFrom}); empty: the proposer's own balance
   */
  public record Funding(boolean topUp, Optional<String> from) {

    /** Refuse when the distributor holds too little. */
    public static final Funding REFUSE = new Funding(false, Optional.empty());

    /** Send the shortfall from the proposer's own balance. */
    public static final Funding FROM_PROPOSER = new Funding(true, Optional.empty());
  }

  /**
   * The outcome.
   *
   * @param txHash the proposing transaction, when known
   * @param toppedUp tokens sent to the distributor before proposing (zero when none)
   * @param replaced the pending root this proposal replaced, when it replaced one
   */
  public record Result(Outcome outcome, String root, String txHash, BigInteger toppedUp, Optional<DistributorState.PendingRoot> replaced) {}

  private final DistributionLedger ledger;
  private final EvmClient chain;
  private final String distributor;

  public RootPoster(DistributionLedger ledger, EvmClient chain, String distributor) {
    this.ledger = ledger;
    this.chain = chain;
    this.distributor = distributor;
  }

  /** Proposes the root of {@code epoch}'s built distribution; refuses while another root is pending. */
  public Result propose(LocalDate epoch, Funding funding) throws IOException, TransactionException {
    return propose(epoch, funding, Optional.empty());
  }

  /**
   * Proposes the root of {@code epoch}'s built distribution.
   *
   * @param replaceReason why a pending root of this or an earlier epoch may be replaced; empty: refuse
   *     while one is pending. A replaced root of an earlier epoch goes back to {@code built}.
   */
  public Result propose(LocalDate epoch, Funding funding, Optional<String> replaceReason) throws IOException, TransactionException {
    DistributionRow d = ledger.require(epoch);
    String root = d.root();
    String recordedTx = d.txHash();
    long day = epoch.toEpochDay();
    RewardsDistributor contract = chain.distributor(distributor);
    DistributorState state = DistributorState.read(chain, distributor);

    if (state.epoch().filter(epoch::equals).isPresent()) {
      if (state.root().equals(root)) {
        ledger.mark(epoch, root, DistributionStatus.ACCEPTED, null);
        return new Result(Outcome.ALREADY_ACCEPTED, root, recordedTx, BigInteger.ZERO, Optional.empty());
      }
      throw new IllegalStateException("epoch " + epoch + " is accepted on-chain with root " + state.root() + ", not " + root + "; nothing sent");
    }
    if (state.epoch().filter(epoch::isBefore).isPresent()) {
      throw new IllegalStateException("the distributor is already at epoch " + state.epoch().get() + "; " + epoch + " can no longer be proposed");
    }
    LocalDate chainDay = LocalDate.ofInstant(state.chainTime(), ZoneOffset.UTC);
    if (!epoch.isBefore(chainDay)) {
      throw new IllegalStateException("epoch " + epoch + " has not ended by the chain's clock (" + state.chainTime()
          + "); an epoch is proposed once its UTC day is over; nothing sent");
    }
    Optional<DistributorState.PendingRoot> pending = state.pending();
    if (pending.isPresent()) {
      DistributorState.PendingRoot p = pending.get();
      if (p.epoch().equals(epoch) && p.root().equals(root)) {
        return new Result(Outcome.ALREADY_PENDING, root, recordedTx, BigInteger.ZERO, Optional.empty());
      }
      if (replaceReason.isEmpty()) {
        throw new IllegalStateException("the root " + p.root() + " of " + p.epoch() + " is pending (acceptable " + acceptable(p, state.chainTime())
            + "); a pending root is never replaced implicitly. Accept it first (`payable rewards accept`), have the guardian revoke it, or "
            + "replace it on purpose with --replace REASON; nothing sent");
      }
      if (p.epoch().isAfter(epoch)) {
        throw new IllegalStateException("the pending root is for " + p.epoch() + ", after " + epoch + "; epochs never go back; nothing sent");
      }
    }

    BigInteger toppedUp = BigInteger.ZERO;
    DistributorFunding balance = DistributorFunding.read(chain, distributor, d.cumulativeTotalWei());
    if (balance.shortfall().signum() > 0) {
      if (!funding.topUp()) {
        throw new IllegalStateException("the distributor holds " + balance.balance() + " wei of token " + balance.token() + " but will owe "
            + balance.owed() + " wei under this root (balances " + d.cumulativeTotalWei() + " − claimed " + balance.totalClaimed()
            + "); send it " + balance.shortfall() + " wei more, or re-run with --top-up to send exactly that; nothing sent");
      }
      toppedUp = balance.topUp(chain, distributor, funding.from());
    }
    byte[] rootBytes = Hex.decode(root);
    byte[] contentHash = Hex.decode(d.contentHash());
    TransactionReceipt receipt = chain.execute(distributor, pending.isPresent()
        ? contract.replacePendingRoot(rootBytes, BigInteger.valueOf(day), contentHash)
        : contract.submitRoot(rootBytes, BigInteger.valueOf(day), contentHash));
    if (pending.isPresent() && !pending.get().epoch().equals(epoch)) {
      ledger.mark(pending.get().epoch(), pending.get().root(), DistributionStatus.BUILT, receipt.getTransactionHash());
    }
    ledger.mark(epoch, root, DistributionStatus.PROPOSED, receipt.getTransactionHash());
    return new Result(pending.isPresent() ? Outcome.REPLACED : Outcome.SENT, root, receipt.getTransactionHash(), toppedUp, pending);
  }

  private static String acceptable(DistributorState.PendingRoot p, Instant now) {
    return now.isBefore(p.validAt()) ? "at " + p.validAt() + " chain time" : "now";
  }
}
