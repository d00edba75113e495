package ai.payable.rewards.chain;

import ai.payable.core.identity.Address;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple2;

/**
 * The governance levers of a distributor, each planned as a {@link DistributorCall} that a command
 * sends or shows as a dry run. Planning reads the chain: a lever that would change nothing (no
 * pending root to revoke, claims already paused) plans no call. Who may pull which lever is the
 * contract's business; a call from the wrong key fails its simulation with the missing role named.
 *
 * <ul>
 *   <li>guardian: revoke the pending root or timelock change; pause and unpause claims and acceptance;
 *   <li>admin: propose a timelock change (it waits the current timelock); grant and revoke the
 *       updater and guardian roles; hand the admin role over in two steps behind the admin delay;
 *   <li>anyone: apply a timelock change whose wait has passed.
 * </ul>
 */
public final class DistributorGovernance {

  /**
   * Who holds what.
   *
   * @param pendingAdmin the account a transfer was begun to, and from when it may accept
   */
  public record RoleHolders(String admin, Optional<PendingAdmin> pendingAdmin, Duration adminTransferDelay, List<String> updaters,
      List<String> guardians) {}

  /** An admin transfer begun and not yet accepted. */
  public record PendingAdmin(String account, Instant acceptableFrom) {}

  private final EvmClient chain;
  private final String distributor;
  private final RewardsDistributor contract;

  public DistributorGovernance(EvmClient chain, String distributor) {
    this.chain = chain;
    this.distributor = distributor;
    this.contract = chain.distributor(distributor);
  }

  /** The current state, for commands that print it beside the call. */
  public DistributorState state() throws IOException {
    return DistributorState.read(chain, distributor);
  }

  /** Revokes the pending root; empty when none is pending. */
  public Optional<DistributorCall> revokePendingRoot() throws IOException {
    return state().pending().map(p -> call("revokePendingRoot()  [root " + p.root() + " of " + p.epoch() + "]", contract.revokePendingRoot()));
  }

  /** Pauses ({@code true}) or resumes claims and acceptance; empty when they already are so. */
  public Optional<DistributorCall> setPaused(boolean paused) throws IOException {
    if (chain.read(contract.paused()) == paused) {
      return Optional.empty();
    }
    return Optional.of(paused ? call("pause()", contract.pause()) : call("unpause()", contract.unpause()));
  }

  /**
   * Proposes a new timelock, checked against the contract's bounds and the schedule that relies
   * on it: a root proposed one night must be acceptable by the next, so the timelock must end at
   * least {@code margin} before the following run.
   */
  public DistributorCall proposeTimelock(Duration timelock, Duration schedulePeriod, Duration margin) {
    checkTimelock(timelock, schedulePeriod, margin);
    return call("proposeTimelock(" + timelock.toSeconds() + ")", contract.proposeTimelock(BigInteger.valueOf(timelock.toSeconds())));
  }

  /** Applies the pending timelock change; empty when none is pending. */
  public Optional<DistributorCall> acceptTimelock() throws IOException {
    return state().pendingTimelock().map(t -> call("acceptTimelock()  [" + t.timelock().toSeconds() + " s]", contract.acceptTimelock()));
  }

  /** Drops the pending timelock change; empty when none is pending. */
  public Optional<DistributorCall> revokePendingTimelock() throws IOException {
    return state().pendingTimelock().map(t -> call("revokePendingTimelock()  [" + t.timelock().toSeconds() + " s]", contract.revokePendingTimelock()));
  }

  /** Grants {@code role} to {@code account}; empty when it holds it already. */
  public Optional<DistributorCall> grant(DistributorRole role, Address account) throws IOException {
    if (holds(role, account)) {
      return Optional.empty();
    }
    return Optional.of(call("grantRole(" + role.cliName() + ", " + account.checksummed() + ")", contract.grantRole(role.id(), account.checksummed())));
  }

  /** Revokes {@code role} from {@code account}; empty when it does not hold it. */
  public Optional<DistributorCall> revoke(DistributorRole role, Address account) throws IOException {
    if (!holds(role, account)) {
      return Optional.empty();
    }
    return Optional.of(call("revokeRole(" + role.cliName() + ", " + account.checksummed() + ")", contract.revokeRole(role.id(), account.checksummed())));
  }

  /** Begins handing the admin role to {@code account}; it accepts after the admin delay. */
  public DistributorCall beginAdminTransfer(Address account) {
    return call("beginDefaultAdminTransfer(" + account.checksummed() + ")", contract.beginDefaultAdminTransfer(account.checksummed()));
  }

  /** The new admin takes the role (sent from its key). */
  public DistributorCall acceptAdminTransfer() {
    return call("acceptDefaultAdminTransfer()", contract.acceptDefaultAdminTransfer());
  }

  /** The admin calls off a transfer it began. */
  public DistributorCall cancelAdminTransfer() {
    return call("cancelDefaultAdminTransfer()", contract.cancelDefaultAdminTransfer());
  }

  /** Everyone holding a role, read from the contract. */
  public RoleHolders roles() throws IOException {
    Tuple2<String, BigInteger> pending = chain.read(contract.pendingDefaultAdmin());
    Optional<PendingAdmin> pendingAdmin = pending.component2().signum() == 0
        ? Optional.empty()
        : Optional.of(new PendingAdmin(Address.parse(pending.component1()).checksummed(), Instant.ofEpochSecond(pending.component2().longValueExact())));
    return new RoleHolders(Address.parse(chain.read(contract.defaultAdmin())).checksummed(), pendingAdmin,
        Duration.ofSeconds(chain.read(contract.defaultAdminDelay()).longValueExact()), members(DistributorRole.UPDATER), members(DistributorRole.GUARDIAN));
  }

  /**
   * Checks a timelock against the contract's bounds and a schedule.
   *
   * @throws IllegalArgumentException naming the bound it breaks
   */
  public static void checkTimelock(Duration timelock, Duration schedulePeriod, Duration margin) {
    DistributorDeployment.requireWithinBounds(timelock);
    if (timelock.plus(margin).compareTo(schedulePeriod) > 0) {
      throw new IllegalArgumentException("timelock " + timelock.toSeconds() + " s does not fit the schedule: a root proposed by one run must be "
          + "acceptable by the next, " + schedulePeriod.toSeconds() + " s later, with " + margin.toSeconds() + " s to spare, so the timelock may be at most "
          + schedulePeriod.minus(margin).toSeconds() + " s; shorten it or lengthen the schedule period; nothing sent");
    }
  }

  private boolean holds(DistributorRole role, Address account) throws IOException {
    return chain.read(contract.hasRole(role.id(), account.checksummed()));
  }

  @SuppressWarnings("unchecked") // the binding returns the address[] as a raw List
  private List<String> members(DistributorRole role) throws IOException {
    List<Object> raw = chain.read(contract.getRoleMembers(role.id()));
    return raw.stream().map(a -> Address.parse(a.toString()).checksummed()).toList();
  }

  private DistributorCall call(String description, RemoteFunctionCall<TransactionReceipt> call) {
    return new DistributorCall(distributor, description, call);
  }
}
