package ai.payable.rewards.chain;

import ai.payable.core.crypto.Hex;
import ai.payable.core.stage.MissingInputException;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.merkle.ClaimDomain;
import ai.payable.rewards.merkle.ClaimProof;
import java.io.IOException;
import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * A contributor's claim against the distributor: what their proof says, what the chain already paid,
 * and, when sent, what arrived. The proof is verified locally and matched with the accepted root
 * before anything is sent, so a stale or wrong file fails with an explanation rather than a revert.
 */
public final class ContributorClaim {

  /**
   * What an account can claim now.
   *
   * @param onChainRoot the accepted root
   * @param alreadyClaimed what the account was paid before
   */
  public record Quote(ClaimProof proof, String onChainRoot, BigInteger alreadyClaimed, boolean paused) {

    /** Whether the proof belongs to the accepted root. */
    public boolean current() {
      return proof.root().equals(onChainRoot);
    }

    /** Cumulative amount minus what was already claimed, never negative. */
    public BigInteger claimable() {
      return proof.balance().cumulativeWei().subtract(alreadyClaimed).max(BigInteger.ZERO);
    }
  }

  /** A sent claim and the amount the contract paid. */
  public record Receipt(String txHash, BigInteger amount) {}

  private final EvmClient chain;
  private final String distributor;

  public ContributorClaim(EvmClient chain, String distributor) {
    this.chain = chain;
    this.distributor = distributor;
  }

  /**
   * Checks {@code proof} locally and reads the chain.
   *
   * @throws IllegalArgumentException when the proof does not verify against its own root
   */
  public Quote quote(ClaimProof proof) throws IOException {
    if (!proof.verifies()) {
      throw new IllegalArgumentException("the proof of " + proof.balance().account().checksummed() + " does not lead to the root "
          + proof.root() + " it was published with; the distribution files are damaged or were edited");
    }
    RewardsDistributor d = chain.distributor(distributor);
    return new Quote(proof, Hex.encode(chain.read(d.root())), chain.read(d.claimed(proof.balance().account().checksummed())), chain.read(d.paused()));
  }

  /**
   * Sends the claim; the tokens go to the account whoever sends it.
   *
   * @throws IllegalStateException when nothing can be claimed now, saying why (nothing sent)
   */
  public Receipt send(ClaimProof proof) throws IOException, TransactionException {
    Quote q = quote(proof);
    ClaimDomain here = DistributorDeployment.at(chain, distributor).domain(chain);
    if (!proof.domain().equals(here)) {
      throw new IllegalArgumentException("these proofs can be claimed only at " + proof.domain() + ", not at " + here + "; nothing sent");
    }
    if (!q.current()) {
      throw new MissingInputException("these proofs are for root " + proof.root() + " but the distributor's accepted root is " + q.onChainRoot()
          + "; nothing sent", MissingInputException.Remedy.USE_ACCEPTED_DISTRIBUTION);
    }
    if (q.paused()) {
      throw new IllegalStateException("claims are paused by the guardian; try again once they resume; nothing sent");
    }
    if (q.claimable().signum() == 0) {
      throw new IllegalStateException(proof.balance().account().checksummed() + " already claimed its " + q.alreadyClaimed()
          + " wei; nothing more is due under this root; nothing sent");
    }
    TransactionReceipt receipt = chain.execute(distributor, chain.distributor(distributor).claim(proof.balance().account().checksummed(),
        proof.balance().cumulativeWei(), proof.proof().stream().map(Hex::decode).toList()));
    BigInteger paid = RewardsDistributor.getClaimedEvents(receipt).stream().map(e -> e.amount).reduce(BigInteger.ZERO, BigInteger::add);
    return new Receipt(receipt.getTransactionHash(), paid);
  }
}
