package ai.payable.cli.rewards;

import ai.payable.cli.KeyOptions;
import ai.payable.core.identity.Address;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.DistributorCall;
import ai.payable.rewards.chain.EvmClient;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Who sends a governance call, or how it is shown instead: {@code --dry-run} prints the call, its
 * calldata and the outcome of simulating it, and sends nothing; with {@code --from} and no key it
 * simulates as that account, e.g. a multisig whose signers submit the printed calldata themselves.
 */
final class GovernanceSender {

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  KeyOptions key;

  @Option(names = "--dry-run", description = "Print the call, its calldata and whether it would succeed; send nothing.")
  boolean dryRun;

  @Option(names = "--from", paramLabel = "0x…", description = "With --dry-run and no key: simulate as this account (e.g. a multisig).")
  String from;

  /** The client to plan and send with. */
  EvmClient client(ChainConnection connection) {
    if (key != null) {
      if (from != null) {
        throw new IllegalArgumentException("--from is for dry runs without a key; the key already names the sender");
      }
      return new EvmClient(connection, Credentials.create(key.load()), RewardsCommand.POLL_MILLIS);
    }
    if (!dryRun) {
      throw new IllegalArgumentException("this changes the distributor: pass --keystore or --private-key-env, or --dry-run (with --from 0x…) to "
          + "see the call without sending it");
    }
    return from == null ? EvmClient.readOnly(connection) : EvmClient.readingAs(connection, Address.parse(from).checksummed());
  }

  /**
   * Sends {@code call}, or prints it for a dry run, or says why nothing was needed.
   *
   * @return the transaction hash when one was sent
   */
  Optional<String> run(EvmClient client, Optional<DistributorCall> call, String nothingToDo, String done) throws Exception {
    if (call.isEmpty()) {
      System.out.println(nothingToDo + "; nothing sent");
      return Optional.empty();
    }
    if (dryRun) {
      System.out.println(call.get().dryRun(client));
      return Optional.empty();
    }
    String tx = call.get().send(client);
    System.out.println(done + " in tx " + tx);
    return Optional.of(tx);
  }
}
