package ai.payable.core.inference;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import java.math.BigInteger;

/**
 * The EIP-712 typed data a gateway signs for each answer it logs, so that nobody who can merely
 * write the landing zone can invent fees or steer credit to records:
 *
 * <pre>InferenceLog(string inferenceId,string ts,string modelId,string adapterId,string prompt,
 *              string output,uint256 feeWei,bytes32[] retrieved,string requester)</pre>
 *
 * in the domain {@code {name: "Payable AI Inference Log", version: "1"}}. {@code ts} is the text
 * of the line's {@code ts} exactly as written, an absent adapter or requester is the empty string,
 * and {@code retrieved} lists the record ids best first. Wallet
 * libraries ({@code ethers.TypedDataEncoder}) compute the same digest.
 */
public final class InferenceTypedData {

  /** The primary type, as wallets spell it. */
  public static final String TYPE =
      "InferenceLog(string inferenceId,string ts,string modelId,string adapterId,string prompt,string output,uint256 feeWei,"
          + "bytes32[] retrieved,string requester)";

  public static final String DOMAIN_NAME = "Payable AI Inference Log";
  public static final String DOMAIN_VERSION = "1";

  private static final byte[] TYPE_HASH = Keccak.hash(TYPE);
  private static final byte[] DOMAIN_SEPARATOR =
      Keccak.hash(Keccak.hash("EIP712Domain(string name,string version)"), Keccak.hash(DOMAIN_NAME), Keccak.hash(DOMAIN_VERSION));
  private static final byte[] PREFIX = {0x19, 0x01};

  private InferenceTypedData() {}

  /** The 32-byte digest a gateway signs for {@code line}, its {@code ts} written as {@link java.time.Instant#toString()} does. */
  public static byte[] digest(InferenceLogLine line) {
    return digest(line, line.ts().toString());
  }

  /**
   * The 32-byte digest of {@code line} whose {@code ts} was written as {@code tsText} (a gateway in
   * another language may write an instant differently, e.g. with milliseconds): what it signed.
   */
  public static byte[] digest(InferenceLogLine line, String tsText) {
    byte[] retrieved = new byte[32 * line.retrieved().size()];
    for (int i = 0; i < line.retrieved().size(); i++) {
      System.arraycopy(Hex.decode(line.retrieved().get(i).recordId()), 0, retrieved, 32 * i, 32);
    }
    byte[] struct = Keccak.hash(
        TYPE_HASH,
        Keccak.hash(line.inferenceId()),
        Keccak.hash(tsText),
        Keccak.hash(line.modelId()),
        Keccak.hash(line.adapterId() == null ? "" : line.adapterId()),
        Keccak.hash(line.prompt()),
        Keccak.hash(line.output()),
        uint256(line.fee().value()),
        Keccak.hash(retrieved),
        Keccak.hash(line.requester() == null ? "" : line.requester()));
    return Keccak.hash(PREFIX, DOMAIN_SEPARATOR, struct);
  }

  private static byte[] uint256(BigInteger value) {
    byte[] out = new byte[32];
    byte[] v = value.toByteArray();
    int len = Math.min(v.length, 32);
    System.arraycopy(v, v.length - len, out, 32 - len, len);
    return out;
  }
}
