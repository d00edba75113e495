package ai.payable.benchmarks;

import ai.payable.core.crypto.Hex;
import ai.payable.core.identity.Address;
import ai.payable.rewards.merkle.ClaimDomain;
import ai.payable.rewards.merkle.ClaimProof;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.DistributionFiles;
import ai.payable.rewards.merkle.ProofShards;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a contributor downloads to claim, at N accounts: the proof shards the claim page reads
 * against the single {@code proofs.json} they replace, both written from the same tree in the same
 * run. Prints the time to write each, the total size, the shard count, the largest shard, and the
 * bytes of one claimant's shard against the whole file.
 *
 * <pre>benchmarks/run site [--accounts 1000000] [--work build/bench/site]</pre>
 */
public final class ClaimSiteBenchmark {

  private ClaimSiteBenchmark() {}

  public static void main(String[] args) throws Exception {
    int accounts = Args.intArg(args, "--accounts", 1_000_000);
    Path work = Files.createDirectories(Path.of(Args.stringArg(args, "--work", "build/bench/site")).toAbsolutePath().resolve("n-" + accounts));
    SplittableRandom random = new SplittableRandom(accounts);
    List<CumulativeBalance> balances = new ArrayList<>(accounts);
    for (int i = 0; i < accounts; i++) {
      byte[] a = new byte[20];
      random.nextBytes(a);
      balances.add(new CumulativeBalance(new Address(Hex.encode(a)), BigInteger.valueOf(random.nextLong(1, Long.MAX_VALUE))));
    }
    balances.sort(Comparator.comparing(b -> b.account().value())); // as payable rewards build orders them
    ClaimDomain domain = ClaimDomain.of(8453, "0x5555555555555555555555555555555555555555", "0x4444444444444444444444444444444444444444");
    RewardsMerkleTree tree = RewardsMerkleTree.of(domain, balances);

    long t = System.nanoTime();
    DistributionFiles.write(tree, work);
    double wholeSeconds = (System.nanoTime() - t) / 1e9;
    long whole = Files.size(work.resolve(DistributionFiles.PROOFS));

    Path site = work.resolve("site");
    t = System.nanoTime();
    ProofShards.Written shards;
    try (InputStream in = Files.newInputStream(work.resolve(DistributionFiles.PROOFS))) {
      shards = ProofShards.write(in, DistributionFiles.PROOFS, accounts, site);
    }
    double shardSeconds = (System.nanoTime() - t) / 1e9;

    // One claimant, as the page and `payable claim` find it: its shard only.
    Address claimant = balances.get(accounts / 2).account();
    long claimantBytes = Files.size(site.resolve(ProofShards.FOLDER).resolve(ProofShards.shardOf(claimant, shards.prefixLength()) + ".json"));
    ClaimProof proof = ProofShards.find(site.toString(), claimant, new org.apache.hadoop.conf.Configuration()).orElseThrow();
    if (!proof.verifies() || !proof.root().equals(tree.root())) {
      throw new IllegalStateException("the claimant's proof from its shard does not lead to the root");
    }
    System.out.printf(Locale.ROOT, "RESULT site accounts=%d proofs_json_bytes=%d proofs_json_write_s=%.1f shards=%d prefix_hex_digits=%d shards_total_bytes=%d "
        + "shards_write_s=%.1f largest_shard_bytes=%d claimant_bytes=%d claimant_vs_proofs_json=1/%.0f shards_total_vs_proofs_json=%.2f%n",
        accounts, whole, wholeSeconds, shards.shards(), shards.prefixLength(), shards.totalBytes(), shardSeconds, shards.largestBytes(), claimantBytes,
        (double) whole / claimantBytes, (double) shards.totalBytes() / whole);
  }
}
