package ai.payable.core.identity;

import ai.payable.core.crypto.Hex;
import java.util.Optional;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/** Signatures over EIP-712 digests: 65 bytes {@code r ‖ s ‖ v}, as wallets produce them. */
public final class TypedDataSignature {

  private TypedDataSignature() {}

  /** Signs a 32-byte digest; returns the 65-byte {@code r ‖ s ‖ v} signature as hex (v = 27/28). */
  public static String sign(byte[] digest, ECKeyPair key) {
    Sign.SignatureData sig = Sign.signMessage(digest, key, false);
    byte[] out = new byte[65];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return Hex.encode(out);
  }

  /**
   * Recovers the signer of a digest from a 65-byte signature ({@code v} may be 0/1 or 27/28).
   * Empty when the signature is malformed or recovers no key.
   */
  public static Optional<Address> recover(byte[] digest, String signatureHex) {
    if (signatureHex == null || !Hex.isHex(signatureHex, 65)) {
      return Optional.empty();
    }
    return SignerRecovery.recover(digest, Hex.decode(signatureHex));
  }
}
