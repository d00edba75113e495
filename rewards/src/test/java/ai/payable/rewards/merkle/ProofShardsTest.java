package ai.payable.rewards.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.identity.Address;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProofShardsTest {

  private static final ClaimDomain DOMAIN = ClaimDomain.of(8453, "0x5555555555555555555555555555555555555555", "0x4444444444444444444444444444444444444444");

  @TempDir Path dir;

  @Test
  void theShardOfEveryAccountHoldsItsProofUnderTheRootAndNoOneElse() throws IOException {
    List<CumulativeBalance> balances = balances(600);
    RewardsMerkleTree tree = RewardsMerkleTree.of(DOMAIN, balances);
    DistributionFiles.write(tree, dir);
    ProofShards.Written w;
    try (InputStream in = Files.newInputStream(dir.resolve(DistributionFiles.PROOFS))) {
      w = ProofShards.write(in, "proofs.json", balances.size(), dir.resolve("site"));
    }
    assertEquals(2, w.prefixLength(), "600 accounts: 16 shards would hold 37 each, 256 hold 2 or 3");
    assertEquals(600, w.accounts());
    assertTrue(w.shards() > 200 && w.shards() <= 256, "shards: " + w.shards());
    Configuration hadoop = new Configuration();
    for (CumulativeBalance b : balances) {
      ClaimProof p = ProofShards.find(dir.resolve("site").toString(), b.account(), hadoop).orElseThrow();
      assertEquals(b.cumulativeWei(), p.balance().cumulativeWei());
      assertEquals(tree.root(), p.root());
      assertTrue(p.verifies());
    }
    assertEquals(Optional.empty(), ProofShards.find(dir.resolve("site").toString(), Address.parse("0x" + "0f".repeat(20)), hadoop), "no reward");
    // A folder without shards is read through its proofs.json, as before.
    assertEquals(balances.get(7).cumulativeWei(), ProofShards.find(dir.toString(), balances.get(7).account(), hadoop).orElseThrow().balance()
        .cumulativeWei());
  }

  @Test
  void thePrefixGrowsWithTheDistribution() {
    assertEquals(1, ProofShards.prefixLength(3));
    assertEquals(1, ProofShards.prefixLength(512));
    assertEquals(2, ProofShards.prefixLength(513));
    assertEquals(4, ProofShards.prefixLength(1_000_000), "65,536 shards of about 15 accounts");
  }

  @Test
  void claimsOutOfAccountOrderAreRefusedNamingTheFix() throws IOException {
    List<CumulativeBalance> balances = balances(40);
    balances.sort(Comparator.comparing((CumulativeBalance b) -> b.account().value()).reversed());
    DistributionFiles.write(RewardsMerkleTree.of(DOMAIN, balances), dir);
    IOException e = assertThrows(IOException.class, () -> {
      try (InputStream in = Files.newInputStream(dir.resolve(DistributionFiles.PROOFS))) {
        ProofShards.write(in, "proofs.json", 40, dir.resolve("site"));
      }
    });
    assertTrue(e.getMessage().contains("not ordered by account") && e.getMessage().contains("payable rewards build"), e.getMessage());
  }

  private static List<CumulativeBalance> balances(int n) {
    List<CumulativeBalance> out = new ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(n);
    for (int i = 0; i < n; i++) {
      byte[] a = new byte[20];
      random.nextBytes(a);
      out.add(new CumulativeBalance(new Address(ai.payable.core.crypto.Hex.encode(a)), BigInteger.valueOf(1 + random.nextInt(1_000_000))));
    }
    out.sort(Comparator.comparing(b -> b.account().value()));
    return out;
  }
}
