package ai.payable.rewards.chain;

/** A call or transaction the contract would revert, with the revert data to decode its custom error. */
public final class ContractRevert extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String data;

  public ContractRevert(String what, String reason, String data) {
    super(message(what, reason, data == null ? null : data.replace("\"", "")));
    // Nodes send the data as a JSON string; web3j hands it over with its quotes.
    this.data = data == null ? null : data.replace("\"", "");
  }

  private static String message(String what, String reason, String data) {
    return ContractErrors.describe(data).map(error -> what + " reverted with " + error)
        .orElse(what + " reverted" + (reason == null ? "" : ": " + reason) + (data == null ? "" : " (data " + data + ")"));
  }

  /** The revert data ({@code 0x} + selector + arguments), or null. */
  public String data() {
    return data;
  }

  /** Whether the revert is the custom error with this signature, e.g. {@code "InvalidProof()"}. */
  public boolean is(String errorSignature) {
    String selector = ai.payable.core.crypto.Hex.encode(ai.payable.core.crypto.Keccak.hash(errorSignature)).substring(0, 10);
    return data != null && data.startsWith(selector);
  }
}
