package ai.payable.rewards.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.identity.Address;
import ai.payable.rewards.chain.ContractRevert;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.DistributorGovernance;
import ai.payable.rewards.chain.DistributorRole;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.LocalAnvil;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * One test per finding of the distributor's review, each showing the attack or mistake now fails
 * on a real EVM. Admin, updater and guardian hold separate keys, as in production.
 */
class DistributorHardeningTest {

  private static final Duration TIMELOCK = Duration.ofHours(2);
  private static final Duration ADMIN_DELAY = Duration.ofDays(2);
  private static final BigInteger YESTERDAY = BigInteger.valueOf(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toEpochDay() - 1);

  @TempDir static Path scratch;
  private static LocalAnvil anvil;

  private EvmClient admin;
  private EvmClient updater;
  private EvmClient guardian;
  private EvmClient stranger;
  private DistributorDeployment deployment;

  @BeforeAll
  static void startChain() throws Exception {
    anvil = LocalAnvil.start(Path.of("..").toAbsolutePath().normalize(), scratch);
  }

  @AfterAll
  static void stopChain() {
    if (anvil != null) {
      anvil.close();
    }
  }

  @BeforeEach
  void deploy() throws Exception {
    admin = client(0);
    updater = client(1);
    guardian = client(2);
    stranger = client(3);
    String token = DistributorDeployment.deployTestToken(admin);
    deployment = DistributorDeployment.deploy(admin, token, new DistributorDeployment.Roles(admin.from(), updater.from(), guardian.from()), TIMELOCK,
        ADMIN_DELAY);
  }

  private static EvmClient client(int account) {
    return new EvmClient(anvil.web3, anvil.accounts.get(account), anvil.chainId, 50);
  }

  private RewardsDistributor d() {
    return admin.distributor(deployment.distributor());
  }

  private void send(EvmClient from, RemoteFunctionCall<TransactionReceipt> call) throws Exception {
    from.execute(deployment.distributor(), call);
  }

  private void assertReverts(String error, EvmClient from, Supplier<RemoteFunctionCall<TransactionReceipt>> call) {
    ContractRevert revert = assertThrows(ContractRevert.class, () -> from.simulate(from.from(), deployment.distributor(), call.get()));
    assertTrue(revert.is(error), "expected " + error + ", got " + revert.getMessage());
  }

  @Test
  void rolesAreSeparateAndListed() throws Exception {
    DistributorGovernance.RoleHolders roles = new DistributorGovernance(stranger, deployment.distributor()).roles();
    assertEquals(Address.parse(admin.from()).checksummed(), roles.admin());
    assertEquals(List.of(Address.parse(updater.from()).checksummed()), roles.updaters());
    assertEquals(List.of(Address.parse(guardian.from()).checksummed()), roles.guardians());
    assertEquals(ADMIN_DELAY, roles.adminTransferDelay());
    assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", admin, () -> d().submitRoot(Keccak.hash("r"), YESTERDAY, new byte[32]));
    assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", updater, () -> d().pause());
    assertReverts("AccessControlUnauthorizedAccount(address,bytes32)", guardian, () -> d().proposeTimelock(BigInteger.valueOf(7200)));
  }

  @Test
  void theAdminCannotShortenTheTimelockPastTheGuardian() throws Exception {
    // Finding: the admin alone could set the timelock to 0 and push a root through unreviewed.
    assertReverts("TimelockOutOfBounds(uint64,uint64,uint64)", admin, () -> d().proposeTimelock(BigInteger.ZERO));
    send(admin, d().proposeTimelock(BigInteger.valueOf(3600)));
    assertReverts("TimelockNotExpired(uint64)", stranger, () -> d().acceptTimelock());
    send(guardian, d().revokePendingTimelock());
    anvil.increaseTime(TIMELOCK.toSeconds());
    assertReverts("NoPendingTimelock()", stranger, () -> d().acceptTimelock());
    assertEquals(BigInteger.valueOf(TIMELOCK.toSeconds()), admin.read(d().timelock()));

    // Unrevoked, a change takes effect only after the current timelock.
    send(admin, d().proposeTimelock(BigInteger.valueOf(3600)));
    anvil.increaseTime(TIMELOCK.toSeconds());
    send(stranger, d().acceptTimelock());
    assertEquals(BigInteger.valueOf(3600), admin.read(d().timelock()));
  }

  @Test
  void theTimelockIsBounded() {
    // Finding: setTimelock had no bound; a huge value overflowed validAt and blocked every submission.
    BigInteger max = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
    assertReverts("TimelockOutOfBounds(uint64,uint64,uint64)", admin, () -> d().proposeTimelock(max));
    assertReverts("TimelockOutOfBounds(uint64,uint64,uint64)", admin,
        () -> d().proposeTimelock(BigInteger.valueOf(DistributorDeployment.MAX_TIMELOCK.toSeconds() + 1)));
    IllegalArgumentException atDeploy = assertThrows(IllegalArgumentException.class, () -> DistributorDeployment.deploy(admin, deployment.token(),
        DistributorDeployment.Roles.single(admin.from()), Duration.ofMinutes(5), ADMIN_DELAY));
    assertTrue(atDeploy.getMessage().contains("outside the distributor's bounds"), atDeploy.getMessage());
  }

  @Test
  void theAdminRoleChangesHandsInTwoStepsAfterADelay() throws Exception {
    // Finding: admin handover was one step, and the role could be renounced for good by mistake.
    String next = stranger.from();
    assertReverts("AccessControlEnforcedDefaultAdminRules()", admin, () -> d().grantRole(new byte[32], next));
    assertReverts("AccessControlEnforcedDefaultAdminDelay(uint48)", admin, () -> d().renounceRole(new byte[32], admin.from()));
    send(admin, d().beginDefaultAdminTransfer(next));
    assertReverts("AccessControlEnforcedDefaultAdminDelay(uint48)", stranger, () -> d().acceptDefaultAdminTransfer());
    anvil.increaseTime(ADMIN_DELAY.toSeconds() + 1);
    send(stranger, d().acceptDefaultAdminTransfer());
    assertEquals(Address.parse(next).checksummed(), new DistributorGovernance(stranger, deployment.distributor()).roles().admin());
    assertTrue(!admin.read(d().hasRole(new byte[32], admin.from())), "the old admin is out");
  }

  @Test
  void epochsCannotRunAheadOfTheClock() throws Exception {
    // Finding: epoch 2^64-1 was accepted, and froze the distributor (no later epoch exists).
    BigInteger max = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
    assertReverts("EpochInFuture(uint64,uint64)", updater, () -> d().submitRoot(Keccak.hash("r"), max, new byte[32]));
    // Tomorrow by the chain's clock, which the other tests move forward (a wall-clock "tomorrow" is already today on it late in a UTC day).
    BigInteger tomorrow = BigInteger.valueOf(Math.floorDiv(admin.chainTime(), Duration.ofDays(1).toSeconds()) + 1);
    assertReverts("EpochInFuture(uint64,uint64)", updater, () -> d().submitRoot(Keccak.hash("r"), tomorrow, new byte[32]));
    send(updater, d().submitRoot(Keccak.hash("r"), YESTERDAY, new byte[32]));
  }

  @Test
  void aZeroRootIsRefused() {
    // Finding: submitRoot(0) silently dropped the pending root, with no revoke event.
    assertReverts("ZeroRoot()", updater, () -> d().submitRoot(new byte[32], YESTERDAY, new byte[32]));
  }

  @Test
  void aPendingRootIsReplacedOnlyExplicitlyAndAnnounced() throws Exception {
    // Finding: a new submission replaced the pending root silently, and the epoch could go down.
    BigInteger dayBefore = YESTERDAY.subtract(BigInteger.ONE);
    send(updater, d().submitRoot(Keccak.hash("first"), YESTERDAY, new byte[32]));
    assertReverts("RootAlreadyPending(bytes32,uint64)", updater, () -> d().submitRoot(Keccak.hash("second"), YESTERDAY, new byte[32]));
    assertReverts("EpochNotIncreasing(uint64,uint64)", updater, () -> d().replacePendingRoot(Keccak.hash("older"), dayBefore, new byte[32]));
    TransactionReceipt replaced = updater.execute(deployment.distributor(), d().replacePendingRoot(Keccak.hash("second"), YESTERDAY, new byte[32]));
    List<RewardsDistributor.PendingRootReplacedEventResponse> events = RewardsDistributor.getPendingRootReplacedEvents(replaced);
    assertEquals(1, events.size());
    assertEquals(Hex.encode(Keccak.hash("first")), Hex.encode(events.get(0).replacedRoot));
    assertEquals(Hex.encode(Keccak.hash("second")), Hex.encode(events.get(0).newRoot));
  }

  @Test
  void pauseStopsAcceptanceSoTheGuardianCanStillRevoke() throws Exception {
    // Finding: once validAt passed anyone could accept ahead of the guardian's revoke, and pause did not stop it.
    send(updater, d().submitRoot(Keccak.hash("suspicious"), YESTERDAY, new byte[32]));
    send(guardian, d().pause());
    anvil.increaseTime(TIMELOCK.toSeconds() + 1);
    assertReverts("EnforcedPause()", stranger, () -> d().acceptRoot());
    send(guardian, d().revokePendingRoot());
    send(guardian, d().unpause());
    assertReverts("NoPendingRoot()", stranger, () -> d().acceptRoot());
  }

  @Test
  void aTreeForOneDistributorPaysNothingOnAnother() throws Exception {
    // Finding: leaves bound neither token nor distributor; the same tree posted twice paid twice.
    DistributorDeployment other = DistributorDeployment.deploy(admin, deployment.token(),
        new DistributorDeployment.Roles(admin.from(), updater.from(), guardian.from()), TIMELOCK, ADMIN_DELAY);
    admin.execute(deployment.token(), admin.testToken(deployment.token()).mint(other.distributor(), BigInteger.valueOf(1_000)));
    String alice = anvil.accounts.get(4).getAddress();
    RewardsMerkleTree tree = RewardsMerkleTree.of(deployment.domain(admin),
        List.of(new CumulativeBalance(Address.parse(alice), BigInteger.valueOf(100)), new CumulativeBalance(Address.parse(stranger.from()), BigInteger.ONE)));
    RewardsDistributor second = admin.distributor(other.distributor());
    updater.execute(other.distributor(), second.submitRoot(Hex.decode(tree.root()), YESTERDAY, new byte[32]));
    anvil.increaseTime(TIMELOCK.toSeconds());
    stranger.execute(other.distributor(), second.acceptRoot());
    List<byte[]> proof = tree.proof(tree.indexOf(Address.parse(alice))).stream().map(Hex::decode).toList();
    ContractRevert replay = assertThrows(ContractRevert.class,
        () -> stranger.simulate(stranger.from(), other.distributor(), second.claim(alice, BigInteger.valueOf(100), proof)));
    assertTrue(replay.is("InvalidProof()"), replay.getMessage());
    assertTrue(replay.getMessage().contains("reverted with InvalidProof()"), "the error is named: " + replay.getMessage());
  }
}
