package ai.payable.core.identity;

import ai.payable.core.crypto.Keccak;
import fr.acinq.secp256k1.Secp256k1;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.web3j.crypto.Sign;

/**
 * Ethereum's {@code ecrecover}: the address whose key made a signature over a 32-byte digest.
 * Uses libsecp256k1 (through ACINQ's JNI binding, bundled for linux/macOS/windows) and falls back
 * to web3j's pure-Java recovery where the native library cannot load. Ingestion verifies every
 * line, so this is on the hot path: the native code is about four times faster.
 */
public final class SignerRecovery {

  private static final Secp256k1 NATIVE = loadNative();

  private SignerRecovery() {}

  /**
   * @param digest the 32-byte signed digest
   * @param signature 65 bytes {@code r ‖ s ‖ v}, v in {0, 1, 27, 28}
   * @return the signer, or empty if the signature is malformed or recovers no key
   */
  public static Optional<Address> recover(byte[] digest, byte[] signature) {
    if (digest.length != 32 || signature.length != 65) {
      return Optional.empty();
    }
    int v = signature[64] & 0xFF;
    int recId = v >= 27 ? v - 27 : v;
    if (recId != 0 && recId != 1) {
      return Optional.empty();
    }
    try {
      byte[] publicKey64;
      if (NATIVE != null) {
        byte[] uncompressed = NATIVE.ecdsaRecover(Arrays.copyOf(signature, 64), digest, recId);
        publicKey64 = Arrays.copyOfRange(uncompressed, 1, 65);
      } else {
        BigInteger key =
            Sign.signedMessageHashToKey(
                digest,
                new Sign.SignatureData(
                    (byte) (27 + recId), Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64)));
        publicKey64 = org.web3j.utils.Numeric.toBytesPadded(key, 64);
      }
      byte[] hash = Keccak.hash(publicKey64);
      return Optional.of(new Address(ai.payable.core.crypto.Hex.encode(Arrays.copyOfRange(hash, 12, 32))));
    } catch (java.security.SignatureException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the native library is in use (reported by benchmarks). */
  public static boolean isNative() {
    return NATIVE != null;
  }

  private static Secp256k1 loadNative() {
    try {
      return Secp256k1.Companion.get();
    } catch (Throwable unavailable) { // UnsatisfiedLinkError on an unsupported platform
      return null;
    }
  }
}
