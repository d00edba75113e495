package ai.payable.core.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.jcajce.provider.digest.Keccak.Digest256;

/** Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256). */
public final class Keccak {

  private Keccak() {}

  /** Hashes raw bytes. */
  public static byte[] hash(byte[] input) {
    Digest256 digest = new Digest256();
    return digest.digest(input);
  }

  /** Hashes the UTF-8 bytes of a string, as Solidity's {@code keccak256(bytes(s))}. */
  public static byte[] hash(String utf8) {
    return hash(utf8.getBytes(StandardCharsets.UTF_8));
  }

  /** Hashes the concatenation of several byte arrays without copying them twice. */
  public static byte[] hash(byte[]... parts) {
    Digest256 digest = new Digest256();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /** {@code 0x}-prefixed lowercase hex of the hash of {@code input}. */
  public static String hex(byte[] input) {
    return Hex.encode(hash(input));
  }
}
