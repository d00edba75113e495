package ai.payable.core.submission;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.identity.Address;
import ai.payable.core.identity.TypedDataSignature;
import java.util.Optional;
import org.web3j.crypto.ECKeyPair;

/**
 * EIP-712 typed data for DataNet records: what a contributor's wallet signs with
 * {@code eth_signTypedData_v4}.
 *
 * <p>Domain {@code {name: "Payable AI DataNet", version: "1"}} with no chain id or verifying
 * contract, because a record is not tied to a chain: the same signed line is valid wherever the
 * DataNet is hosted. The digest doubles as the record id: it is a hash of the canonical content
 * only, so the same content always gets the same id whatever signature it carries.
 */
public final class RecordTypedData {

  /** The primary type, as wallets and {@code ethers.TypedDataEncoder} spell it. */
  public static final String RECORD_TYPE =
      "Record(string datanet,address contributor,string license,string kind,string prompt,"
          + "string completion,string text,string createdAt)";

  public static final String DOMAIN_NAME = "Payable AI DataNet";
  public static final String DOMAIN_VERSION = "1";

  private static final byte[] RECORD_TYPE_HASH = Keccak.hash(RECORD_TYPE);
  private static final byte[] DOMAIN_SEPARATOR =
      Keccak.hash(
          Keccak.hash("EIP712Domain(string name,string version)"),
          Keccak.hash(DOMAIN_NAME),
          Keccak.hash(DOMAIN_VERSION));
  private static final byte[] PREFIX = {0x19, 0x01};

  private RecordTypedData() {}

  /** {@code hashStruct(Record)}. */
  public static byte[] structHash(RecordContent r) {
    return Keccak.hash(
        RECORD_TYPE_HASH,
        Keccak.hash(r.datanet()),
        leftPad32(Address.parse(r.contributor()).bytes()),
        Keccak.hash(r.license()),
        Keccak.hash(r.kind()),
        Keccak.hash(r.prompt()),
        Keccak.hash(r.completion()),
        Keccak.hash(r.text()),
        Keccak.hash(r.createdAt()));
  }

  /** The 32-byte digest a wallet signs: {@code keccak256(0x1901 ‖ domainSeparator ‖ structHash)}. */
  public static byte[] digest(RecordContent r) {
    return Keccak.hash(PREFIX, DOMAIN_SEPARATOR, structHash(r));
  }

  /** The record id: the typed-data digest as {@code 0x…} hex. */
  public static String recordId(RecordContent r) {
    return Hex.encode(digest(r));
  }

  /** Signs a record's digest; returns the 65-byte {@code r ‖ s ‖ v} signature as hex (v = 27/28). */
  public static String sign(RecordContent r, ECKeyPair key) {
    return TypedDataSignature.sign(digest(r), key);
  }

  /**
   * Recovers the signer of a digest from a 65-byte signature ({@code v} may be 0/1 or 27/28).
   * Empty when the signature is malformed or recovers no key.
   */
  public static Optional<Address> recover(byte[] digest, String signatureHex) {
    return TypedDataSignature.recover(digest, signatureHex);
  }

  private static byte[] leftPad32(byte[] bytes) {
    byte[] out = new byte[32];
    System.arraycopy(bytes, 0, out, 32 - bytes.length, bytes.length);
    return out;
  }
}
