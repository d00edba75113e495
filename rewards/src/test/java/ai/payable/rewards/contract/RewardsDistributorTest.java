package ai.payable.rewards.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.identity.Address;
import ai.payable.rewards.chain.ContractRevert;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.LocalAnvil;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.chain.binding.TestToken;
import ai.payable.rewards.merkle.ClaimDomain;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** The distributor on a real EVM: roots behind a timelock, cumulative claims, and what must fail. */
class RewardsDistributorTest {

  private static final long TIMELOCK = 3600;
  private static final Duration TIMELOCK_DURATION = Duration.ofSeconds(TIMELOCK);
  @TempDir static Path scratch;
  private static LocalAnvil anvil;

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

  private static List<byte[]> proof(List<String> nodes) {
    return nodes.stream().map(Hex::decode).toList();
  }

  private static BigInteger wei(long amount) {
    return BigInteger.valueOf(amount);
  }

  @Test
  void rootsWaitForTheTimelockAndClaimsPayOnlyTheIncrease() throws Exception {
    Credentials admin = anvil.accounts.get(0);
    EvmClient chain = new EvmClient(anvil.web3, admin, anvil.chainId, 100);
    DistributorDeployment deployment = DistributorDeployment.withTestToken(chain, TIMELOCK_DURATION, wei(1_000_000));
    ClaimDomain domain = deployment.domain(chain);
    String distributor = deployment.distributor();
    RewardsDistributor d = chain.distributor(distributor);
    TestToken token = chain.testToken(deployment.token());
    String a0 = admin.getAddress();

    String alice = anvil.accounts.get(1).getAddress();
    String bob = anvil.accounts.get(2).getAddress();
    String carol = anvil.accounts.get(3).getAddress();
    RewardsMerkleTree day1 = RewardsMerkleTree.of(domain, List.of(
        new CumulativeBalance(Address.parse(alice), wei(100)),
        new CumulativeBalance(Address.parse(bob), wei(250)),
        new CumulativeBalance(Address.parse(carol), wei(40))));
    chain.execute(distributor, d.submitRoot(Hex.decode(day1.root()), wei(1), new byte[32]));
    ContractRevert early = assertThrows(ContractRevert.class, () -> chain.simulate(a0, distributor, d.acceptRoot()));
    assertTrue(early.is("TimelockNotExpired(uint64)"), early.getMessage());
    anvil.increaseTime(TIMELOCK + 1);
    chain.execute(distributor, d.acceptRoot());
    assertEquals(day1.root(), Hex.encode(chain.read(d.root())));

    List<byte[]> aliceProof = proof(day1.proof(day1.indexOf(Address.parse(alice))));
    TransactionReceipt paid = chain.execute(distributor, d.claim(alice, wei(100), aliceProof));
    assertEquals(wei(100), RewardsDistributor.getClaimedEvents(paid).get(0).amount);
    assertEquals(wei(100), chain.read(token.balanceOf(alice)));
    assertEquals(wei(100), chain.read(d.claimed(alice)));
    ContractRevert twice = assertThrows(ContractRevert.class, () -> chain.simulate(a0, distributor, d.claim(alice, wei(100), aliceProof)));
    assertTrue(twice.is("NothingToClaim(uint256,uint256)"), twice.getMessage());
    List<byte[]> bobProof = proof(day1.proof(day1.indexOf(Address.parse(bob))));
    ContractRevert inflated = assertThrows(ContractRevert.class, () -> chain.simulate(a0, distributor, d.claim(bob, wei(251), bobProof)));
    assertTrue(inflated.is("InvalidProof()"), inflated.getMessage());
    ContractRevert stolen = assertThrows(ContractRevert.class, () -> chain.simulate(a0, distributor, d.claim(carol, wei(250), bobProof)));
    assertTrue(stolen.is("InvalidProof()"), stolen.getMessage());

    // Day 2: alice earns 30 more; bob never claimed day 1 and takes both days at once.
    RewardsMerkleTree day2 = RewardsMerkleTree.of(domain, List.of(
        new CumulativeBalance(Address.parse(alice), wei(130)),
        new CumulativeBalance(Address.parse(bob), wei(300)),
        new CumulativeBalance(Address.parse(carol), wei(40))));
    ContractRevert stale = assertThrows(ContractRevert.class,
        () -> chain.simulate(a0, distributor, d.submitRoot(Hex.decode(day2.root()), wei(1), new byte[32])));
    assertTrue(stale.is("EpochNotIncreasing(uint64,uint64)"), stale.getMessage());
    chain.execute(distributor, d.submitRoot(Hex.decode(day2.root()), wei(2), new byte[32]));
    anvil.increaseTime(TIMELOCK + 1);
    chain.execute(distributor, d.acceptRoot());
    TransactionReceipt increase = chain.execute(distributor, d.claim(alice, wei(130), proof(day2.proof(day2.indexOf(Address.parse(alice))))));
    assertEquals(wei(30), RewardsDistributor.getClaimedEvents(increase).get(0).amount);
    chain.execute(distributor, d.claim(bob, wei(300), proof(day2.proof(day2.indexOf(Address.parse(bob))))));
    assertEquals(wei(130), chain.read(token.balanceOf(alice)));
    assertEquals(wei(300), chain.read(token.balanceOf(bob)));
    assertEquals(wei(1_000_000 - 430), chain.read(token.balanceOf(distributor)));

    chain.execute(distributor, d.pause());
    List<byte[]> carolProof = proof(day2.proof(day2.indexOf(Address.parse(carol))));
    ContractRevert paused = assertThrows(ContractRevert.class, () -> chain.simulate(a0, distributor, d.claim(carol, wei(40), carolProof)));
    assertTrue(paused.is("EnforcedPause()"), paused.getMessage());
    chain.execute(distributor, d.unpause());
    chain.simulate(a0, distributor, d.claim(carol, wei(40), carolProof));

    // Governance finds a problem in day 3: the guardian revokes the pending root.
    chain.execute(distributor, d.submitRoot(Keccak.hash("bad day 3"), wei(3), new byte[32]));
    chain.execute(distributor, d.revokePendingRoot());
    anvil.increaseTime(TIMELOCK + 1);
    ContractRevert none = assertThrows(ContractRevert.class, () -> chain.simulate(a0, distributor, d.acceptRoot()));
    assertTrue(none.is("NoPendingRoot()"), none.getMessage());
    ContractRevert notUpdater = assertThrows(ContractRevert.class,
        () -> chain.simulate(alice, distributor, d.submitRoot(Keccak.hash("x"), wei(9), new byte[32])));
    assertTrue(notUpdater.is("AccessControlUnauthorizedAccount(address,bytes32)"), notUpdater.getMessage());
  }
}
