package ai.payable.cli;

import ai.payable.core.retry.RetryPolicy;
import ai.payable.rewards.chain.ChainConnection;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * Where the distributor lives: the L2's JSON-RPC endpoint, its expected chain id and the
 * distributor's address, each from an option or, for scheduled runs, the environment.
 */
public final class ChainOptions {

  @Option(names = "--rpc", paramLabel = "URL", defaultValue = "${env:PAYABLE_RPC_URL}",
      description = "JSON-RPC endpoint of the L2 (default: $PAYABLE_RPC_URL).")
  String rpc;

  @Option(names = "--chain-id", paramLabel = "ID", defaultValue = "${env:PAYABLE_CHAIN_ID}",
      description = "Expected chain id; nothing is sent to another chain (default: $PAYABLE_CHAIN_ID).")
  Long chainId;

  /** Whether an endpoint and chain id were given (by option or environment). */
  public boolean configured() {
    return rpc != null && !rpc.isBlank() && chainId != null;
  }

  /** Connects and checks the chain id; every RPC call is retried with backoff. */
  public ChainConnection connect() throws IOException {
    if (rpc == null || rpc.isBlank()) {
      throw new IllegalArgumentException("no JSON-RPC endpoint: pass --rpc URL or set PAYABLE_RPC_URL");
    }
    if (chainId == null) {
      throw new IllegalArgumentException("no chain id: pass --chain-id ID or set PAYABLE_CHAIN_ID (it guards against sending to the wrong network)");
    }
    return ChainConnection.open(rpc, chainId, RetryPolicy.DEFAULT);
  }

  /** The distributor options, for commands that act on a deployed one. */
  public static final class Distributor {

    @Option(names = "--distributor", paramLabel = "0x…", defaultValue = "${env:PAYABLE_DISTRIBUTOR}",
        description = "RewardsDistributor address (default: $PAYABLE_DISTRIBUTOR).")
    String address;

    /** Whether a distributor was given (by option or environment). */
    public boolean configured() {
      return address != null && !address.isBlank();
    }

    /** The checked, checksummed address. */
    public String address() {
      if (address == null || address.isBlank()) {
        throw new IllegalArgumentException("no distributor: pass --distributor 0x… or set PAYABLE_DISTRIBUTOR (printed by `payable rewards deploy`)");
      }
      return ai.payable.core.identity.Address.parse(address).checksummed();
    }
  }
}
