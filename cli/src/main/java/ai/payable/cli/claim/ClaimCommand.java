package ai.payable.cli.claim;

import ai.payable.cli.ChainOptions;
import ai.payable.cli.KeyOptions;
import ai.payable.cli.LakehouseOption;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.Tables;
import ai.payable.core.crypto.Hex;
import ai.payable.core.identity.Address;
import ai.payable.core.lakehouse.HadoopSettings;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.ContributorClaim;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.merkle.ClaimProof;
import ai.payable.rewards.merkle.DistributionFiles;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable claim --account 0x… [--distribution DIR|URI] [--send]}. */
@Command(
    name = "claim",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what an account can claim: its cumulative reward in a distribution, what the distributor already paid it, what is claimable now, and the Merkle proof. The proof is verified locally and matched with the distributor's accepted root first.",
      "",
      "With --send (and a key) the claim is sent; anyone may send it, the tokens always go to the account. Prints the transaction and the amount received.",
      "",
      "Without --distribution, the folder of the accepted root is looked up in the lakehouse's distributions table."
    })
public final class ClaimCommand implements Callable<Integer> {

  @Mixin LakehouseOption lakehouse;

  @Mixin ChainOptions chain;

  @Mixin ChainOptions.Distributor distributor;

  @Option(names = "--account", required = true, paramLabel = "0x…", description = "The rewarded account.")
  String account;

  @Option(names = "--distribution", paramLabel = "DIR|URI",
      description = "Folder of a published distribution (with proofs.json): a directory, s3a:// or https:// URI.")
  String distribution;

  @Option(names = "--send", description = "Send the claim (needs --keystore or --private-key-env).")
  boolean send;

  @ArgGroup(exclusive = true)
  KeyOptions key;

  @Override
  public Integer call() throws Exception {
    Address who = Address.parse(account);
    if (send && key == null) {
      throw new IllegalArgumentException("--send needs a key to pay the gas: pass --keystore FILE or --private-key-env VAR (any funded account may send a claim)");
    }
    try (ChainConnection connection = chain.connect()) {
      EvmClient client = send ? new EvmClient(connection, Credentials.create(key.load()), 1000) : EvmClient.readOnly(connection);
      String folder = distribution != null ? distribution : acceptedFolder(client);
      ClaimProof proof = ClaimProof.find(ArtifactStore.open(folder, DistributionFiles.PROOFS, HadoopSettings.configuration(lakehouse.config())),
              who, folder + "/" + DistributionFiles.PROOFS)
          .orElseThrow(() -> new IllegalArgumentException(who.checksummed() + " has no reward in the distribution at " + folder));
      ContributorClaim claims = new ContributorClaim(client, distributor.address());
      ContributorClaim.Quote q = claims.quote(proof);
      System.out.printf("account       %s%n", who.checksummed());
      System.out.printf("distribution  %s (root %s)%n", folder, proof.root());
      System.out.printf("cumulative    %s wei%n", proof.balance().cumulativeWei());
      System.out.printf("claimed       %s wei%n", q.alreadyClaimed());
      System.out.printf("claimable     %s wei%s%n", q.current() ? q.claimable() : "0",
          q.current() ? (q.paused() ? " (claims are paused)" : "") : " (not the accepted root " + q.onChainRoot() + ")");
      System.out.printf("proof         %s%n", String.join(",", proof.proof()));
      if (send) {
        ContributorClaim.Receipt r = claims.send(proof);
        System.out.printf("sent          tx %s: %s wei received%n", r.txHash(), r.amount());
      }
      return 0;
    }
  }

  private String acceptedFolder(EvmClient client) throws java.io.IOException {
    String root = Hex.encode(client.read(client.distributor(distributor.address()).root()));
    Lakehouse lh = lakehouse.open();
    return lh.read(Tables.DISTRIBUTIONS).where(org.apache.spark.sql.functions.col("root").equalTo(root)).collectAsList().stream()
        .findFirst().map(r -> r.<String>getAs("artifact_uri"))
        .orElseThrow(() -> new IllegalArgumentException("the accepted root " + root + " is not in the distributions table of " + lh.root()
            + "; pass --distribution with the folder the distributor published"));
  }
}
