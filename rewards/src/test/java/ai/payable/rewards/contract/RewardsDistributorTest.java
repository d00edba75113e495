package ai.payable.rewards.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.identity.Address;
import ai.payable.rewards.chain.ContractRevert;
import ai.payable.rewards.chain.DistributorCalls;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.LocalAnvil;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;

/** The distributor on a real EVM: roots behind a timelock, cumulative claims, and what must fail. */
class RewardsDistributorTest {

  private static final long TIMELOCK = 3600;
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

  private static org.web3j.abi.datatypes.Address addr(String a) {
    return new org.web3j.abi.datatypes.Address(a);
  }

  private static Function fn(String name, Type<?>... args) {
    return new Function(name, List.of(args), List.of());
  }

  private static DynamicArray<Bytes32> proof(List<String> nodes) {
    return new DynamicArray<>(Bytes32.class, nodes.stream().map(n -> new Bytes32(Hex.decode(n))).toList());
  }

  @Test
  void rootsWaitForTheTimelockAndClaimsPayOnlyTheIncrease() throws Exception {
    Credentials admin = anvil.accounts.get(0);
    EvmClient chain = new EvmClient(anvil.web3, admin, anvil.chainId, 100);
    DistributorDeployment deployment = DistributorDeployment.withTestToken(chain, TIMELOCK, BigInteger.valueOf(1_000_000));
    String token = deployment.token();
    String distributor = deployment.distributor();
    chain.execute(distributor, DistributorCalls.grantRole(DistributorCalls.GUARDIAN_ROLE, admin.getAddress()));

    String alice = anvil.accounts.get(1).getAddress();
    String bob = anvil.accounts.get(2).getAddress();
    String carol = anvil.accounts.get(3).getAddress();
    RewardsMerkleTree day1 = RewardsMerkleTree.of(List.of(
        new CumulativeBalance(Address.parse(alice), BigInteger.valueOf(100)),
        new CumulativeBalance(Address.parse(bob), BigInteger.valueOf(250)),
        new CumulativeBalance(Address.parse(carol), BigInteger.valueOf(40))));
    chain.execute(distributor, fn("submitRoot", new Bytes32(Hex.decode(day1.root())), new Uint64(1), new Bytes32(new byte[32])));
    ContractRevert early = assertThrows(ContractRevert.class, () -> chain.simulate(admin.getAddress(), distributor, fn("acceptRoot")));
    assertTrue(early.is("TimelockNotExpired(uint64)"), early.getMessage());
    anvil.increaseTime(TIMELOCK + 1);
    chain.execute(distributor, DistributorCalls.acceptRoot());

    int a = day1.indexOf(Address.parse(alice));
    chain.execute(distributor, fn("claim", addr(alice), new Uint256(100), proof(day1.proof(a))));
    assertEquals(BigInteger.valueOf(100), chain.readUint(token, "balanceOf", List.of(addr(alice))));
    ContractRevert twice = assertThrows(ContractRevert.class,
        () -> chain.simulate(admin.getAddress(), distributor, fn("claim", addr(alice), new Uint256(100), proof(day1.proof(a)))));
    assertTrue(twice.is("NothingToClaim(uint256,uint256)"), twice.getMessage());
    int b = day1.indexOf(Address.parse(bob));
    ContractRevert inflated = assertThrows(ContractRevert.class,
        () -> chain.simulate(admin.getAddress(), distributor, fn("claim", addr(bob), new Uint256(251), proof(day1.proof(b)))));
    assertTrue(inflated.is("InvalidProof()"), inflated.getMessage());
    ContractRevert stolen = assertThrows(ContractRevert.class,
        () -> chain.simulate(admin.getAddress(), distributor, fn("claim", addr(carol), new Uint256(250), proof(day1.proof(b)))));
    assertTrue(stolen.is("InvalidProof()"), stolen.getMessage());

    // Day 2: alice earns 30 more; bob never claimed day 1 and takes both days at once.
    RewardsMerkleTree day2 = RewardsMerkleTree.of(List.of(
        new CumulativeBalance(Address.parse(alice), BigInteger.valueOf(130)),
        new CumulativeBalance(Address.parse(bob), BigInteger.valueOf(300)),
        new CumulativeBalance(Address.parse(carol), BigInteger.valueOf(40))));
    ContractRevert stale = assertThrows(ContractRevert.class, () -> chain.simulate(admin.getAddress(), distributor,
        fn("submitRoot", new Bytes32(Hex.decode(day2.root())), new Uint64(1), new Bytes32(new byte[32]))));
    assertTrue(stale.is("EpochNotIncreasing(uint64,uint64)"), stale.getMessage());
    chain.execute(distributor, fn("submitRoot", new Bytes32(Hex.decode(day2.root())), new Uint64(2), new Bytes32(new byte[32])));
    anvil.increaseTime(TIMELOCK + 1);
    chain.execute(distributor, DistributorCalls.acceptRoot());
    chain.execute(distributor, fn("claim", addr(alice), new Uint256(130), proof(day2.proof(day2.indexOf(Address.parse(alice))))));
    chain.execute(distributor, fn("claim", addr(bob), new Uint256(300), proof(day2.proof(day2.indexOf(Address.parse(bob))))));
    assertEquals(BigInteger.valueOf(130), chain.readUint(token, "balanceOf", List.of(addr(alice))));
    assertEquals(BigInteger.valueOf(300), chain.readUint(token, "balanceOf", List.of(addr(bob))));
    assertEquals(BigInteger.valueOf(1_000_000 - 430), chain.readUint(token, "balanceOf", List.of(addr(distributor))));

    chain.execute(distributor, DistributorCalls.pause());
    ContractRevert paused = assertThrows(ContractRevert.class, () -> chain.simulate(admin.getAddress(), distributor,
        fn("claim", addr(carol), new Uint256(40), proof(day2.proof(day2.indexOf(Address.parse(carol)))))));
    assertTrue(paused.is("EnforcedPause()"), paused.getMessage());

    // Governance finds a problem in day 3: the guardian revokes the pending root.
    chain.execute(distributor, fn("submitRoot", new Bytes32(Keccak.hash("bad day 3")), new Uint64(3), new Bytes32(new byte[32])));
    chain.execute(distributor, DistributorCalls.revokePendingRoot());
    anvil.increaseTime(TIMELOCK + 1);
    ContractRevert none = assertThrows(ContractRevert.class, () -> chain.simulate(admin.getAddress(), distributor, fn("acceptRoot")));
    assertTrue(none.is("NoPendingRoot()"), none.getMessage());
    ContractRevert notUpdater = assertThrows(ContractRevert.class, () -> chain.simulate(alice, distributor,
        fn("submitRoot", new Bytes32(Keccak.hash("x")), new Uint64(9), new Bytes32(new byte[32]))));
    assertTrue(notUpdater.is("AccessControlUnauthorizedAccount(address,bytes32)"), notUpdater.getMessage());
  }
}
