package ai.payable.rewards.chain;

import ai.payable.core.crypto.Hex;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * One governance call on the distributor, shown before it is sent: a dry run prints it with the
 * outcome of simulating it from the sender, so a multisig signer or a reviewer sees exactly what
 * would be submitted.
 *
 * @param description the call in words, e.g. {@code revokePendingRoot()} or {@code grantRole(UPDATER, 0x…)}
 */
public record DistributorCall(String distributor, String description, RemoteFunctionCall<TransactionReceipt> call) {

  /** The calldata. */
  public String data() {
    return call.encodeFunctionCall();
  }

  /** Simulates the call from {@code chain}'s sender; the revert it would meet, or empty when it would succeed. */
  public Optional<ContractRevert> simulate(EvmClient chain) throws IOException {
    try {
      chain.simulate(chain.from(), distributor, call);
      return Optional.empty();
    } catch (ContractRevert revert) {
      return Optional.of(revert);
    }
  }

  /** What a dry run prints: target, sender, call, calldata and the simulation's outcome. */
  public String dryRun(EvmClient chain) throws IOException {
    Optional<ContractRevert> revert = simulate(chain);
    return "dry run, nothing sent:\n  to        " + distributor + "\n  from      " + chain.from() + "\n  call      " + description
        + "\n  calldata  " + data() + "\n  simulated " + revert.map(r -> "would fail: " + explain(r, chain.from())).orElse("would succeed");
  }

  /**
   * Sends the call after simulating it; returns the transaction hash.
   *
   * @throws IllegalStateException when the simulation fails, naming a missing role (nothing sent)
   */
  public String send(EvmClient chain) throws IOException, TransactionException {
    Optional<ContractRevert> revert = simulate(chain);
    if (revert.isPresent()) {
      throw new IllegalStateException(description + " would fail: " + explain(revert.get(), chain.from()) + "; nothing sent");
    }
    return chain.execute(distributor, call).getTransactionHash();
  }

  private static String explain(ContractRevert revert, String sender) {
    if (revert.is("AccessControlUnauthorizedAccount(address,bytes32)") && revert.data().length() >= 2 + 8 + 128) {
      String role = revert.data().substring(revert.data().length() - 64);
      String name = role.equals("0".repeat(64)) ? "admin"
          : Arrays.stream(DistributorRole.values()).filter(r -> Hex.encode(r.id()).endsWith(role))
              .map(DistributorRole::cliName).findFirst().orElse("0x" + role);
      return sender + " does not hold the distributor's " + name + " role; sign with the " + name + "'s key";
    }
    return revert.getMessage();
  }
}
