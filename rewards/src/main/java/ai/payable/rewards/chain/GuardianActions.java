package ai.payable.rewards.chain;

import ai.payable.core.catalog.DistributionStatus;
import ai.payable.rewards.distribution.DistributionLedger;
import java.io.IOException;
import java.util.Optional;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * The guardian's levers during a root's timelock: revoke the pending root (it never becomes
 * claimable; its epoch's distribution goes back to {@code built}, to be fixed and proposed again),
 * and pause or resume claims. Each checks the sender holds the guardian role before sending, so a
 * wrong key costs no gas.
 */
public final class GuardianActions {

  /**
   * What a revocation did.
   *
   * @param revoked the root that was pending, empty when nothing was (nothing sent)
   * @param recorded whether the lakehouse's {@code distributions} row went back to {@code built}
   */
  public record Revocation(Optional<DistributorState.PendingRoot> revoked, String txHash, boolean recorded) {}

  private final DistributionLedger ledger;
  private final EvmClient chain;
  private final String distributor;

  public GuardianActions(DistributionLedger ledger, EvmClient chain, String distributor) {
    this.ledger = ledger;
    this.chain = chain;
    this.distributor = distributor;
  }

  /** Revokes the pending root. */
  public Revocation revoke() throws IOException, TransactionException {
    DistributorState state = DistributorState.read(chain, distributor, chain.web3().ethBlockNumber().send().getBlockNumber().longValueExact());
    if (state.pending().isEmpty()) {
      return new Revocation(Optional.empty(), null, false);
    }
    requireGuardian();
    DistributorState.PendingRoot p = state.pending().get();
    String tx = chain.execute(distributor, chain.distributor(distributor).revokePendingRoot()).getTransactionHash();
    boolean recorded = ledger != null && ledger.mark(p.epoch(), p.root(), DistributionStatus.BUILT, tx);
    return new Revocation(Optional.of(p), tx, recorded);
  }

  /** Pauses ({@code true}) or resumes claims; returns the transaction, or null when claims already were so. */
  public String setPaused(boolean paused) throws IOException, TransactionException {
    if (chain.read(chain.distributor(distributor).paused()) == paused) {
      return null;
    }
    requireGuardian();
    var d = chain.distributor(distributor);
    return chain.execute(distributor, paused ? d.pause() : d.unpause()).getTransactionHash();
  }

  private void requireGuardian() throws IOException {
    var d = chain.distributor(distributor);
    if (!chain.read(d.hasRole(chain.read(d.GUARDIAN_ROLE()), chain.from()))) {
      throw new IllegalStateException(chain.from() + " does not hold the distributor's guardian role; sign with the guardian's key; nothing sent");
    }
  }
}
