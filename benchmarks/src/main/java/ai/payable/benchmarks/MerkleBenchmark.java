package ai.payable.benchmarks;

import ai.payable.core.crypto.Hex;
import ai.payable.core.identity.Address;
import ai.payable.rewards.merkle.BalancesCsv;
import ai.payable.rewards.merkle.ClaimDomain;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Tree and all proofs for N accounts: ours against {@code @openzeppelin/merkle-tree} in node on
 * the same balances, in the same run. Usage: {@code benchmarks/run merkle --accounts 1000000}
 */
public final class MerkleBenchmark {

  private MerkleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int accounts = Integer.parseInt(arg(args, "--accounts", "1000000"));
    Path work = Path.of(arg(args, "--work", "build/bench/merkle")).toAbsolutePath();
    Files.createDirectories(work);
    Path csv = work.resolve("balances-" + accounts + ".csv");
    if (!Files.exists(csv)) {
      SplittableRandom random = new SplittableRandom(accounts);
      try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
        w.write("account,cumulative_wei\n");
        for (int i = 0; i < accounts; i++) {
          byte[] a = new byte[20];
          random.nextBytes(a);
          w.write(new Address(Hex.encode(a)).checksummed() + "," + new BigInteger(64, new java.util.Random(random.nextLong())) + "\n");
        }
      }
    }
    List<CumulativeBalance> balances = BalancesCsv.read(csv);

    ClaimDomain domain = ClaimDomain.of(8453, "0x5555555555555555555555555555555555555555", "0x4444444444444444444444444444444444444444");
    Process node = new ProcessBuilder("node", "benchmarks/merkle-openzeppelin.mjs", csv.toString(), Long.toString(domain.chainId()),
        domain.distributor().checksummed(), domain.token().checksummed())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    JsonNode baseline = new ObjectMapper().readTree(node.getInputStream().readAllBytes());
    if (node.waitFor() != 0) {
      throw new IllegalStateException("node baseline failed");
    }

    double ours = Double.MAX_VALUE;
    String root = null;
    for (int run = 0; run < 3; run++) { // best of three: the first pays for JIT warm-up
      long t = System.nanoTime();
      RewardsMerkleTree tree = RewardsMerkleTree.of(domain, balances);
      long proofNodes = 0;
      for (int i = 0; i < balances.size(); i++) {
        proofNodes += tree.proof(i).size();
      }
      ours = Math.min(ours, (System.nanoTime() - t) / 1e9);
      root = tree.root();
      if (proofNodes != baseline.get("proofNodes").asLong()) {
        throw new IllegalStateException("proof sizes differ: " + proofNodes + " vs " + baseline.get("proofNodes"));
      }
    }
    if (!root.equals(baseline.get("root").asText())) {
      throw new IllegalStateException("roots differ: " + root + " vs " + baseline.get("root"));
    }
    double theirs = baseline.get("seconds").asDouble();
    System.out.printf(Locale.ROOT, "RESULT merkle accounts=%d root=%s openzeppelin_js_s=%.2f ours_s=%.2f speedup=%.1fx%n",
        accounts, root, theirs, ours, theirs / ours);
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
