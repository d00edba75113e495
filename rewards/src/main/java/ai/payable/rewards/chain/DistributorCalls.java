package ai.payable.rewards.chain;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;

/** Typed calls of {@code RewardsDistributor} and {@code TestToken}, encoded with web3j's ABI types. */
public final class DistributorCalls {

  /** Role ids, as the contract computes them. */
  public static final byte[] UPDATER_ROLE = Keccak.hash("UPDATER_ROLE");

  public static final byte[] GUARDIAN_ROLE = Keccak.hash("GUARDIAN_ROLE");

  private DistributorCalls() {}

  public static Function claim(String account, BigInteger cumulative, List<String> proof) {
    return call("claim", new Address(account), new Uint256(cumulative),
        new DynamicArray<>(Bytes32.class, proof.stream().map(p -> new Bytes32(Hex.decode(p))).toList()));
  }

  public static Function submitRoot(String root, long epoch, byte[] contentHash) {
    return call("submitRoot", new Bytes32(Hex.decode(root)), new Uint64(epoch), new Bytes32(contentHash));
  }

  public static Function acceptRoot() {
    return call("acceptRoot");
  }

  public static Function revokePendingRoot() {
    return call("revokePendingRoot");
  }

  public static Function pause() {
    return call("pause");
  }

  public static Function grantRole(byte[] role, String account) {
    return call("grantRole", new Bytes32(role), new Address(account));
  }

  /** {@code TestToken.mint}. */
  public static Function mint(String to, BigInteger amount) {
    return call("mint", new Address(to), new Uint256(amount));
  }

  private static Function call(String name, Type<?>... args) {
    return new Function(name, List.of(args), List.of());
  }
}
