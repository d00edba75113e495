package ai.payable.cli.claim;

import ai.payable.cli.ChainOptions;
import ai.payable.cli.KeyOptions;
import ai.payable.cli.LakehouseOption;
import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.crypto.Hex;
import ai.payable.core.identity.Address;
import ai.payable.core.lakehouse.HadoopSettings;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.TokenUnits;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.ContributorClaim;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.TokenMetadata;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.merkle.ClaimProof;
import ai.payable.rewards.merkle.ProofShards;
import ai.payable.rewards.merkle.RewardStatement;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable claim --account 0x… [--distribution DIR|URI] [--offline] [--send]}. */
@Command(
    name = "claim",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what an account can claim: its cumulative reward in a distribution, what the distributor already paid it, what is claimable now, and the Merkle proof. The proof is verified locally and matched with the distributor's accepted root first.",
      "",
      "Without a chain (no --rpc/$PAYABLE_RPC_URL, or --offline) it reads the published files alone: the cumulative amount, what was earned in each "
          + "published epoch, and the proof checked against the distribution's root. What was already claimed needs the chain.",
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
      description = "Folder of a published distribution (with proofs.json) or claim site (with proofs/ shards): a directory, s3a:// or https:// URI.")
  String distribution;

  @Option(names = "--offline", description = "Read only the published files, even when a chain is configured.")
  boolean offline;

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
    if (send && offline) {
      throw new IllegalArgumentException("--send needs the chain; drop --offline");
    }
    if (offline || (!chain.configured() && !send)) {
      return offlineStatement(who);
    }
    try (ChainConnection connection = chain.connect()) {
      EvmClient client = send ? new EvmClient(connection, Credentials.create(key.load()), 1000) : EvmClient.readOnly(connection);
      TokenUnits token = TokenMetadata.read(client, distributor.address());
      String folder = distribution != null ? distribution : acceptedFolder(client);
      ClaimProof proof = ProofShards.find(folder, who, HadoopSettings.configuration(lakehouse.config()))
          .orElseThrow(() -> new IllegalArgumentException(who.checksummed() + " has no reward in the distribution at " + folder));
      ContributorClaim claims = new ContributorClaim(client, distributor.address());
      ContributorClaim.Quote q = claims.quote(proof);
      System.out.printf("account       %s%n", who.checksummed());
      System.out.printf("distribution  %s (root %s)%n", folder, proof.root());
      System.out.printf("cumulative    %s%n", token.formatWithWei(proof.balance().cumulativeWei()));
      System.out.printf("claimed       %s%n", token.formatWithWei(q.alreadyClaimed()));
      System.out.printf("claimable     %s%s%n", token.formatWithWei(q.current() ? q.claimable() : java.math.BigInteger.ZERO),
          q.current() ? (q.paused() ? " (claims are paused)" : "") : " (not the accepted root " + q.onChainRoot() + ")");
      System.out.printf("proof         %s%n", String.join(",", proof.proof()));
      if (send) {
        ContributorClaim.Receipt r = claims.send(proof);
        System.out.printf("sent          tx %s: %s received%n", r.txHash(), token.formatWithWei(r.amount()));
      }
      return 0;
    }
  }

  /** What the published files alone say the account is owed. */
  private int offlineStatement(Address who) throws java.io.IOException {
    if (distribution == null) {
      throw new IllegalArgumentException("without a chain, pass --distribution with the folder of the published distribution (a directory, s3a:// or https:// URL); "
          + "or set PAYABLE_RPC_URL and PAYABLE_CHAIN_ID (or --rpc, --chain-id) to read the accepted one from the distributor");
    }
    RewardStatement s = RewardStatement.read(distribution, who, HadoopSettings.configuration(lakehouse.config()));
    TokenUnits token = s.token();
    System.out.printf("account       %s%n", who.checksummed());
    System.out.printf("distribution  %s (%sroot %s)%n", distribution, s.manifest().map(m -> "epoch " + m.epoch() + ", ").orElse(""), s.proof().root());
    System.out.printf("proof         checked: it leads from your leaf to the root (%d hashes)%n", s.proof().proof().size());
    System.out.printf("cumulative    %s%n", token.formatWithWei(s.proof().balance().cumulativeWei()));
    String label = "earned        ";
    for (RewardStatement.Epoch e : s.epochs()) {
      System.out.printf("%s%s  %s%n", label, e.epoch(), e.earnedWei() == null ? "? (see below)" : "+" + token.format(e.earnedWei()));
      label = "              ";
    }
    s.historyNote().ifPresent(n -> System.out.printf("note          %s%n", n));
    System.out.printf("claimed       not known offline: what was already paid is on the chain; set PAYABLE_RPC_URL and PAYABLE_CHAIN_ID "
        + "(or --rpc, --chain-id) to see it and to claim%n");
    System.out.printf("proof hashes  %s%n", String.join(",", s.proof().proof()));
    return 0;
  }

  private String acceptedFolder(EvmClient client) throws java.io.IOException {
    String root = Hex.encode(client.read(client.distributor(distributor.address()).root()));
    Lakehouse lh = lakehouse.open();
    return new DistributionLedger(lh).withRoot(root).map(DistributionRow::artifactUri)
        .orElseThrow(() -> new IllegalArgumentException("the accepted root " + root + " is not in the distributions table of " + lh.root()
            + "; pass --distribution with the folder the distributor published"));
  }
}
