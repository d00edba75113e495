package ai.payable.rewards.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.crypto.Hex;
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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Property: over random epochs of rewards and random claims (valid, inflated and repeated), the
 * tokens paid out never exceed what was funded, each account is paid exactly its latest claimed
 * cumulative amount, and once everyone claims, the distributor holds nothing.
 */
class ClaimInvariantTest {

  @TempDir Path scratch;

  @Test
  void totalClaimedNeverExceedsTotalFunded() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      runScenario(seed);
    }
  }

  private void runScenario(long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    try (LocalAnvil anvil = LocalAnvil.start(Path.of("..").toAbsolutePath().normalize(), scratch)) {
      Credentials admin = anvil.accounts.get(0);
      EvmClient chain = new EvmClient(anvil.web3, admin, anvil.chainId, 50);
      DistributorDeployment deployment = DistributorDeployment.withTestToken(chain, DistributorDeployment.MIN_TIMELOCK, BigInteger.ZERO);
      ClaimDomain domain = deployment.domain(chain);
      String token = deployment.token();
      String distributor = deployment.distributor();
      RewardsDistributor d = chain.distributor(distributor);
      TestToken t = chain.testToken(token);

      List<String> accounts = new ArrayList<>();
      for (int i = 1; i < anvil.accounts.size(); i++) {
        accounts.add(anvil.accounts.get(i).getAddress());
      }
      BigInteger[] cumulative = new BigInteger[accounts.size()];
      BigInteger[] paid = new BigInteger[accounts.size()];
      java.util.Arrays.fill(cumulative, BigInteger.ZERO);
      java.util.Arrays.fill(paid, BigInteger.ZERO);
      BigInteger funded = BigInteger.ZERO;
      RewardsMerkleTree tree = null;
      for (int epoch = 1; epoch <= 6; epoch++) {
        BigInteger increase = BigInteger.ZERO;
        List<CumulativeBalance> balances = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
          BigInteger earned = random.nextInt(3) == 0 ? BigInteger.ZERO : BigInteger.valueOf(random.nextLong(1, 1_000_000));
          cumulative[i] = cumulative[i].add(earned);
          increase = increase.add(earned);
          balances.add(new CumulativeBalance(Address.parse(accounts.get(i)), cumulative[i]));
        }
        chain.execute(token, t.mint(distributor, increase));
        funded = funded.add(increase);
        tree = RewardsMerkleTree.of(domain, balances);
        chain.execute(distributor, d.submitRoot(Hex.decode(tree.root()), BigInteger.valueOf(epoch), new byte[32]));
        anvil.increaseTime(DistributorDeployment.MIN_TIMELOCK.toSeconds());
        chain.execute(distributor, d.acceptRoot());
        for (int i = 0; i < accounts.size(); i++) {
          int action = random.nextInt(4);
          RemoteFunctionCall<TransactionReceipt> valid = d.claim(accounts.get(i), cumulative[i], proofOf(tree, accounts.get(i)));
          if (action == 0 && cumulative[i].compareTo(paid[i]) > 0) {
            chain.execute(distributor, valid);
            paid[i] = cumulative[i];
          } else if (action == 1) {
            RemoteFunctionCall<TransactionReceipt> inflated = d.claim(accounts.get(i), cumulative[i].add(BigInteger.ONE), proofOf(tree, accounts.get(i)));
            assertThrows(ContractRevert.class, () -> chain.simulate(admin.getAddress(), distributor, inflated));
          } else if (action == 2 && cumulative[i].equals(paid[i])) {
            ContractRevert again = assertThrows(ContractRevert.class, () -> chain.simulate(admin.getAddress(), distributor, valid));
            assertTrue(again.is("NothingToClaim(uint256,uint256)"), again.getMessage());
          }
        }
        BigInteger totalPaid = BigInteger.ZERO;
        for (int i = 0; i < accounts.size(); i++) {
          assertEquals(paid[i], chain.read(t.balanceOf(accounts.get(i))), "seed " + seed + " account " + i);
          totalPaid = totalPaid.add(paid[i]);
        }
        assertTrue(totalPaid.compareTo(funded) <= 0);
        assertEquals(totalPaid, chain.read(d.totalClaimed()), "the contract's running total");
        assertEquals(funded.subtract(totalPaid), chain.read(t.balanceOf(distributor)));
      }
      for (int i = 0; i < accounts.size(); i++) {
        if (cumulative[i].compareTo(paid[i]) > 0) {
          chain.execute(distributor, d.claim(accounts.get(i), cumulative[i], proofOf(tree, accounts.get(i))));
        }
      }
      assertEquals(BigInteger.ZERO, chain.read(t.balanceOf(distributor)), "seed " + seed);
    }
  }

  private static List<byte[]> proofOf(RewardsMerkleTree tree, String account) {
    return tree.proof(tree.indexOf(Address.parse(account))).stream().map(Hex::decode).toList();
  }
}
