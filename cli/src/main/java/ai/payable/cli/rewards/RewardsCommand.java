package ai.payable.cli.rewards;

import ai.payable.rewards.merkle.BalancesCsv;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.DistributionFiles;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code payable rewards}: Merkle distributions of cumulative rewards. */
@Command(
    name = "rewards",
    mixinStandardHelpOptions = true,
    description = "Merkle distributions of cumulative rewards (OpenZeppelin StandardMerkleTree, standard-v1).",
    subcommands = {RewardsCommand.Tree.class})
public final class RewardsCommand {

  /** {@code payable rewards tree --balances FILE.csv --out DIR}. */
  @Command(
      name = "tree",
      mixinStandardHelpOptions = true,
      description = {
        "Builds the Merkle tree of published balances (CSV 'account,cumulative_wei' with that header) and prints its root, so anyone can rebuild a distribution's root independently.",
        "",
        "Writes DIR/tree.json (the standard-v1 dump @openzeppelin/merkle-tree loads) and DIR/proofs.json (each account's cumulative amount and proof)."
      })
  static final class Tree implements Callable<Integer> {
    @Option(names = "--balances", required = true, paramLabel = "FILE.csv", description = "Balances: account,cumulative_wei.")
    Path balances;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write tree.json and proofs.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
      List<CumulativeBalance> values = BalancesCsv.read(balances);
      RewardsMerkleTree tree = RewardsMerkleTree.of(values);
      DistributionFiles.write(tree, out);
      BigInteger total = values.stream().map(CumulativeBalance::cumulativeWei).reduce(BigInteger.ZERO, BigInteger::add);
      System.err.printf("%d accounts, %s wei in total; wrote %s and %s%n", values.size(), total,
          out.resolve(DistributionFiles.TREE), out.resolve(DistributionFiles.PROOFS));
      System.out.println(tree.root());
      return 0;
    }
  }
}
