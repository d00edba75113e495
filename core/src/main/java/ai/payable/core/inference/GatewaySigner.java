package ai.payable.core.inference;

import ai.payable.core.identity.Address;
import ai.payable.core.identity.TypedDataSignature;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * A gateway's key, signing each log line it writes ({@link InferenceTypedData}). The gateway's
 * address is registered in the lakehouse's {@code gateways} table; ingestion pays only lines it
 * signed. The key never leaves this object and is never printed.
 */
public final class GatewaySigner {

  private final ECKeyPair key;
  private final Address address;

  public GatewaySigner(ECKeyPair key) {
    this.key = key;
    this.address = Address.parse("0x" + Keys.getAddress(key));
  }

  /** The address the gateway is registered under. */
  public Address address() {
    return address;
  }

  /** {@code line} with this gateway's address and signature. */
  public InferenceLogLine sign(InferenceLogLine line) {
    InferenceLogLine unsigned = line.withSignature(null, null);
    return unsigned.withSignature(address.checksummed(), TypedDataSignature.sign(InferenceTypedData.digest(unsigned), key));
  }

  /**
   * A JSON log line, signed by this gateway: for gateways that write their logs first and sign
   * them in a separate step, and for tests.
   *
   * @throws IllegalArgumentException when the line is not a complete log line
   */
  public String signJson(String line) {
    return sign(InferenceLogLine.fromJson(line)).toJson();
  }

  @Override
  public String toString() {
    return "gateway " + address.checksummed();
  }
}
