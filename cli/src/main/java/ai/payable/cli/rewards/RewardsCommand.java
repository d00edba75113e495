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
    subcommands = {RewardsCommand.Build.class, RewardsCommand.Propose.class, RewardsCommand.Tree.class})
public final class RewardsCommand {

  /** {@code payable rewards build --epoch E}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Builds an epoch's distribution from epoch_rewards: everyone's cumulative balance up to and including the epoch, checked against the previous distribution (no balance decreases; the increases equal the epoch's rewards), then the tree, proofs and balances.csv, recorded in the distributions table.",
        "",
        "Re-running gives the same root; an epoch already proposed on-chain is never rebuilt into a different one."
      })
  static final class Build implements Callable<Integer> {
    @picocli.CommandLine.Mixin ai.payable.cli.LakehouseOption lakehouse;

    @Option(names = "--epoch", required = true, paramLabel = "YYYY-MM-DD", description = "The epoch (UTC day).")
    java.time.LocalDate epoch;

    @Option(names = "--artifacts", defaultValue = "distributions", paramLabel = "DIR",
        description = "Where each epoch's files go, in a folder named by the epoch (default: ${DEFAULT-VALUE}).")
    Path artifacts;

    @Override
    public Integer call() throws Exception {
      var d = new ai.payable.rewards.distribution.DistributionBuilder(lakehouse.open(), artifacts).build(epoch);
      System.out.printf("epoch %s: %d accounts, %s wei cumulative, %s wei this epoch%nroot %s%nfiles %s%n",
          d.epoch(), d.accounts(), d.cumulativeTotal(), d.epochTotal(), d.root(), d.dir());
      return 0;
    }
  }

  /** {@code payable rewards propose --epoch E}. */
  @Command(
      name = "propose",
      mixinStandardHelpOptions = true,
      description = {
        "Proposes an epoch's built root to the distributor (EIP-1559, gas estimated with a margin). Reads the chain first: if the same root is already pending or accepted for the epoch nothing is sent; if a different root sits there the command refuses.",
        "",
        "The key comes from a keystore (password in $PAYABLE_KEYSTORE_PASSWORD) or an environment variable and is never printed."
      })
  static final class Propose implements Callable<Integer> {
    @picocli.CommandLine.Mixin ai.payable.cli.LakehouseOption lakehouse;

    @Option(names = "--epoch", required = true, paramLabel = "YYYY-MM-DD", description = "The epoch (UTC day).")
    java.time.LocalDate epoch;

    @Option(names = "--rpc", required = true, paramLabel = "URL", description = "JSON-RPC endpoint of the L2.")
    String rpc;

    @Option(names = "--chain-id", required = true, paramLabel = "ID", description = "Expected chain id; the command refuses to send to another chain.")
    long chainId;

    @Option(names = "--distributor", required = true, paramLabel = "0x…", description = "RewardsDistributor address.")
    String distributor;

    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    ai.payable.cli.KeyOptions key;

    @Override
    public Integer call() throws Exception {
      org.web3j.crypto.ECKeyPair pair = key.load();
      org.web3j.protocol.Web3j web3 = org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(rpc));
      try {
        long actual = web3.ethChainId().send().getChainId().longValue();
        if (actual != chainId) {
          throw new IllegalArgumentException(rpc + " serves chain " + actual + ", not --chain-id " + chainId + "; nothing sent");
        }
        var chain = new ai.payable.rewards.chain.EvmClient(web3, org.web3j.crypto.Credentials.create(pair), chainId, 2000);
        var result = new ai.payable.rewards.chain.RootPoster(lakehouse.open(), chain, distributor).propose(epoch);
        switch (result.outcome()) {
          case SENT -> System.out.println("proposed root " + result.root() + " for " + epoch + " in tx " + result.txHash());
          case ALREADY_PENDING -> System.out.println("root " + result.root() + " for " + epoch + " is already pending; nothing sent");
          case ALREADY_ACCEPTED -> System.out.println("root " + result.root() + " for " + epoch + " is already accepted; nothing sent");
        }
        return 0;
      } finally {
        web3.shutdown();
      }
    }
  }

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
