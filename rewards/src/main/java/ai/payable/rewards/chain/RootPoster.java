package ai.payable.rewards.chain;

import ai.payable.core.catalog.ChainAction;
import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.crypto.Hex;
import ai.payable.core.failpoint.Failpoint;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.distribution.TransactionJournal;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
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
 *
 * <p>Every transaction goes through the {@link JournaledSender}: recorded in {@code
 * chain_transactions} before it is sent, so a run killed at any point re-runs into the same
 * transaction (waited for, sent again or replaced at its nonce), never a second one.
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
  private final JournaledSender sender;

  /** A poster recording its transactions in {@code lakehouse}'s {@code chain_transactions}. */
  public RootPoster(Lakehouse lakehouse, EvmClient chain, String distributor, JournaledSender.Settings sending) {
    this.ledger = new DistributionLedger(lakehouse);
    this.chain = chain;
    this.distributor = distributor;
    this.sender = new JournaledSender(new TransactionJournal(lakehouse), chain, sending);
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
    byte[] rootBytes = Hex.decode(root);
    byte[] contentHash = Hex.decode(d.contentHash());
    String submit = contract.submitRoot(rootBytes, BigInteger.valueOf(day), contentHash).encodeFunctionCall();
    String replace = contract.replacePendingRoot(rootBytes, BigInteger.valueOf(day), contentHash).encodeFunctionCall();
    if (pending.isPresent()) {
      DistributorState.PendingRoot p = pending.get();
      if (p.epoch().equals(epoch) && p.root().equals(root)) {
        // Sent by an earlier run (maybe one killed before it could record the status): wait for its confirmations, then record it.
        Optional<TransactionReceipt> ours = sender.completed(epoch, ChainAction.PROPOSE_ROOT, distributor, submit);
        if (ours.isEmpty()) {
          ours = sender.completed(epoch, ChainAction.REPLACE_ROOT, distributor, replace);
        }
        String tx = ours.map(TransactionReceipt::getTransactionHash).orElse(recordedTx);
        if (d.status() == DistributionStatus.BUILT || !Objects.equals(tx, recordedTx)) {
          ledger.mark(epoch, root, DistributionStatus.PROPOSED, tx);
        }
        return new Result(Outcome.ALREADY_PENDING, root, tx, BigInteger.ZERO, Optional.empty());
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
            + "); send it " + balance.shortfall() + " wei more, or re-run with --top-up-from a funding account that approved the proposer (or --top-up, "
            + "from the proposer's own tokens) to send exactly that; nothing sent");
      }
      var call = balance.topUp(chain, distributor, funding.from());
      if (call.isPresent()) {
        sender.send(epoch, ChainAction.TOP_UP, balance.token(), call.get().encodeFunctionCall());
        toppedUp = balance.shortfall();
      }
      DistributorFunding after = DistributorFunding.read(chain, distributor, d.cumulativeTotalWei());
      if (after.shortfall().signum() > 0) {
        throw new IllegalStateException("after the top-up the distributor still holds " + after.balance() + " wei but will owe " + after.owed()
            + "; claims were paid meanwhile, or the token charges a fee on transfers; re-run to top it up again; root not proposed");
      }
    }
    TransactionReceipt receipt = pending.isPresent()
        ? sender.send(epoch, ChainAction.REPLACE_ROOT, distributor, replace)
        : sender.send(epoch, ChainAction.PROPOSE_ROOT, distributor, submit);
    Failpoint.ROOT_MINED.reach();
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
