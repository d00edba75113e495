package ai.payable.benchmarks;

import ai.payable.core.crypto.Hex;
import ai.payable.core.identity.Address;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.LocalAnvil;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.web3j.crypto.Credentials;

/**
 * Claim gas on anvil for trees of 1k, 100k and 1M leaves: a first claim (fresh account, empty
 * token balance) and a repeat claim after the next epoch's root. Gas is deterministic; compare
 * with published figures. Usage: {@code benchmarks/run gas}
 */
public final class ClaimGasBenchmark {

  private ClaimGasBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path scratch = Files.createDirectories(Path.of("build/bench/gas").toAbsolutePath());
    try (LocalAnvil anvil = LocalAnvil.start(Path.of("").toAbsolutePath(), scratch)) {
      Credentials admin = anvil.accounts.get(0);
      EvmClient chain = new EvmClient(anvil.web3, admin, anvil.chainId, 50);
      DistributorDeployment deployment = DistributorDeployment.withTestToken(chain, DistributorDeployment.MIN_TIMELOCK, BigInteger.TEN.pow(30));
      String distributor = deployment.distributor();
      RewardsDistributor d = chain.distributor(distributor);
      // Epochs are finished UTC days: count up to yesterday.
      long epoch = LocalDate.now(ZoneOffset.UTC).toEpochDay() - 10;
      int[] sizes = {1_000, 100_000, 1_000_000};
      for (int s = 0; s < sizes.length; s++) {
        String claimer = anvil.accounts.get(1 + s).getAddress();
        long[] gas = new long[2];
        for (int round = 0; round < 2; round++) {
          BigInteger amount = BigInteger.valueOf(1_000_000_000_000_000L * (round + 1));
          RewardsMerkleTree tree = RewardsMerkleTree.of(deployment.domain(chain), balances(sizes[s], claimer, amount, s));
          chain.execute(distributor, d.submitRoot(Hex.decode(tree.root()), BigInteger.valueOf(++epoch), new byte[32]));
          anvil.increaseTime(DistributorDeployment.MIN_TIMELOCK.toSeconds());
          chain.execute(distributor, d.acceptRoot());
          List<byte[]> proof = tree.proof(tree.indexOf(Address.parse(claimer))).stream().map(Hex::decode).toList();
          gas[round] = chain.execute(distributor, d.claim(claimer, amount, proof)).getGasUsed().longValue();
        }
        System.out.printf(Locale.ROOT, "RESULT gas leaves=%d proof_depth=%d first_claim=%d repeat_claim=%d%n",
            sizes[s], 64 - Long.numberOfLeadingZeros(sizes[s] - 1L), gas[0], gas[1]);
      }
    }
  }

  private static List<CumulativeBalance> balances(int n, String claimer, BigInteger amount, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<CumulativeBalance> out = new ArrayList<>(n);
    out.add(new CumulativeBalance(Address.parse(claimer), amount));
    for (int i = 1; i < n; i++) {
      byte[] a = new byte[20];
      random.nextBytes(a);
      out.add(new CumulativeBalance(new Address(Hex.encode(a)), BigInteger.valueOf(random.nextLong(1, Long.MAX_VALUE))));
    }
    return out;
  }

}
