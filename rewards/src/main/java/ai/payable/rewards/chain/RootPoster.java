package ai.payable.rewards.chain;

import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.crypto.Hex;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.distribution.DistributionLedger;
import java.io.IOException;
import java.math.BigInteger;
import java.time.LocalDate;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tuples.generated.Tuple4;

/**
 * Proposes an epoch's root on-chain, idempotently: it reads the chain first and sends nothing when
 * the same root is already pending or accepted for the epoch, and refuses when a different root
 * sits there. Before sending, it checks the distributor holds enough tokens for the new balances,
 * topping it up from the sender when asked to. On-chain epochs are UTC day numbers.
 */
public final class RootPoster {

  /** What {@link #propose} did. */
  public enum Outcome {
    SENT,
    ALREADY_PENDING,
    ALREADY_ACCEPTED
  }

  /**
   * The outcome.
   *
   * @param txHash the proposing transaction, when known
   * @param toppedUp tokens sent to the distributor before proposing (zero when none)
   */
  public record Result(Outcome outcome, String root, String txHash, BigInteger toppedUp) {}

  private final DistributionLedger ledger;
  private final EvmClient chain;
  private final String distributor;
  private final long deployBlock;

  /** @param deployBlock block the distributor was deployed in (or 0): where the claim scan starts */
  public RootPoster(DistributionLedger ledger, EvmClient chain, String distributor, long deployBlock) {
    this.ledger = ledger;
    this.chain = chain;
    this.distributor = distributor;
    this.deployBlock = deployBlock;
  }

  /**
   * Proposes the root of {@code epoch}'s built distribution.
   *
   * @param topUp send the distributor any missing tokens from the sender instead of refusing
   */
  public Result propose(LocalDate epoch, boolean topUp) throws IOException, TransactionException {
    DistributionRow d = ledger.require(epoch);
    String root = d.root();
    String recordedTx = d.txHash();
    long day = epoch.toEpochDay();
    RewardsDistributor contract = chain.distributor(distributor);

    String acceptedRoot = Hex.encode(chain.read(contract.root()));
    long acceptedEpoch = chain.read(contract.epoch()).longValueExact();
    if (acceptedEpoch == day) {
      if (acceptedRoot.equals(root)) {
        ledger.mark(epoch, root, DistributionStatus.ACCEPTED, null);
        return new Result(Outcome.ALREADY_ACCEPTED, root, recordedTx, BigInteger.ZERO);
      }
      throw new IllegalStateException("epoch " + epoch + " is accepted on-chain with root " + acceptedRoot + ", not " + root + "; nothing sent");
    }
    if (acceptedEpoch > day) {
      throw new IllegalStateException("the distributor is already at epoch " + LocalDate.ofEpochDay(acceptedEpoch) + "; " + epoch + " can no longer be proposed");
    }
    Tuple4<byte[], byte[], BigInteger, BigInteger> pending = chain.read(contract.pendingRoot());
    String pendingRoot = Hex.encode(pending.component1());
    if (pending.component3().longValueExact() == day && !pendingRoot.equals(Hex.encode(new byte[32]))) {
      if (pendingRoot.equals(root)) {
        return new Result(Outcome.ALREADY_PENDING, root, recordedTx, BigInteger.ZERO);
      }
      throw new IllegalStateException("epoch " + epoch + " is pending on-chain with root " + pendingRoot + ", not " + root
          + "; the guardian must revoke it before another root is proposed; nothing sent");
    }

    BigInteger cumulativeTotal = d.cumulativeTotalWei();
    DistributorFunding funding = DistributorFunding.read(chain, distributor, cumulativeTotal, deployBlock);
    BigInteger toppedUp = BigInteger.ZERO;
    if (funding.shortfall().signum() > 0) {
      if (!topUp) {
        throw new IllegalStateException("the distributor holds " + funding.balance() + " wei of token " + funding.token() + " but will owe "
            + funding.owed() + " wei under this root (balances " + cumulativeTotal + " − claimed " + funding.totalClaimed()
            + "); send it " + funding.shortfall() + " wei more, or re-run with --top-up to send it from the proposer; nothing sent");
      }
      toppedUp = funding.topUp(chain, distributor);
    }
    TransactionReceipt receipt = chain.execute(distributor, contract.submitRoot(Hex.decode(root), BigInteger.valueOf(day), Hex.decode(d.contentHash())));
    ledger.mark(epoch, root, DistributionStatus.PROPOSED, receipt.getTransactionHash());
    return new Result(Outcome.SENT, root, receipt.getTransactionHash(), toppedUp);
  }
}
