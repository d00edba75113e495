package ai.payable.rewards.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Sends EIP-1559 transactions and reads contract state over JSON-RPC with web3j: gas estimated
 * with a margin, receipts polled at an L2-friendly interval, reverts surfaced with their data.
 * The signing key stays inside web3j's {@link Credentials}; nothing here prints it.
 */
public final class EvmClient {

  /** Gas estimates are raised by this percentage: estimates are exact for the state they saw. */
  private static final int GAS_MARGIN_PERCENT = 20;

  private final Web3j web3;
  private final Credentials sender;
  private final long chainId;
  private final RawTransactionManager transactions;
  private final PollingTransactionReceiptProcessor receipts;

  public EvmClient(Web3j web3, Credentials sender, long chainId, long receiptPollMillis) {
    this.web3 = web3;
    this.sender = sender;
    this.chainId = chainId;
    this.transactions = new RawTransactionManager(web3, sender, chainId);
    this.receipts = new PollingTransactionReceiptProcessor(web3, receiptPollMillis, 600);
  }

  /** The sending account. */
  public String from() {
    return sender.getAddress();
  }

  /** Deploys {@code bytecode} with ABI-encoded constructor arguments; returns the receipt. */
  @SuppressWarnings("rawtypes") // web3j's ABI encoder takes raw List<Type>
  public TransactionReceipt deploy(String bytecode, List<Type> constructorArgs) throws IOException, TransactionException {
    String data = bytecode + FunctionEncoder.encodeConstructor(constructorArgs);
    return send(null, data);
  }

  /** Calls {@code function} on {@code contract} in a transaction; returns the receipt. */
  public TransactionReceipt execute(String contract, Function function) throws IOException, TransactionException {
    return send(contract, FunctionEncoder.encode(function));
  }

  /** Reads {@code function} on {@code contract} with {@code eth_call}. */
  @SuppressWarnings("rawtypes")
  public List<Type> read(String contract, Function function) throws IOException {
    EthCall call = web3.ethCall(Transaction.createEthCallTransaction(from(), contract, FunctionEncoder.encode(function)),
        DefaultBlockParameterName.LATEST).send();
    if (call.isReverted() || call.hasError()) {
      throw new ContractRevert(function.getName(), call.getRevertReason(), call.getError() == null ? null : call.getError().getData());
    }
    return FunctionReturnDecoder.decode(call.getValue(), function.getOutputParameters());
  }

  /** Simulates {@code function} from {@code caller}; throws {@link ContractRevert} if it would revert. */
  public void simulate(String caller, String contract, Function function) throws IOException {
    EthCall call = web3.ethCall(Transaction.createEthCallTransaction(caller, contract, FunctionEncoder.encode(function)),
        DefaultBlockParameterName.LATEST).send();
    if (call.isReverted() || call.hasError()) {
      throw new ContractRevert(function.getName(), call.getRevertReason(), call.getError() == null ? null : call.getError().getData());
    }
  }

  private TransactionReceipt send(String to, String data) throws IOException, TransactionException {
    Transaction estimate = to == null
        ? Transaction.createContractTransaction(from(), null, null, data)
        : Transaction.createFunctionCallTransaction(from(), null, null, null, to, data);
    var gas = web3.ethEstimateGas(estimate).send();
    if (gas.hasError()) {
      throw new ContractRevert(to == null ? "deploy" : "transaction", gas.getError().getMessage(), gas.getError().getData());
    }
    BigInteger gasLimit = gas.getAmountUsed().multiply(BigInteger.valueOf(100 + GAS_MARGIN_PERCENT)).divide(BigInteger.valueOf(100));
    BigInteger tip = web3.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas();
    BigInteger base = web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getBaseFeePerGas();
    BigInteger maxFee = base.multiply(BigInteger.TWO).add(tip);
    EthSendTransaction sent = transactions.sendEIP1559Transaction(chainId, tip, maxFee, gasLimit, to == null ? "" : to, data, BigInteger.ZERO, to == null);
    if (sent.hasError()) {
      throw new IOException("transaction rejected by the node: " + sent.getError().getMessage());
    }
    TransactionReceipt receipt = receipts.waitForTransactionReceipt(sent.getTransactionHash());
    if (!receipt.isStatusOK()) {
      throw new TransactionException("transaction " + receipt.getTransactionHash() + " reverted", receipt);
    }
    return receipt;
  }

  /** Reads a {@code uint256}-returning view. */
  @SuppressWarnings("rawtypes") // web3j's Function takes raw List<Type>
  public BigInteger readUint(String contract, String name, List<Type> args) throws IOException {
    List<Type> out = read(contract, new Function(name, args, List.of(new TypeReference<org.web3j.abi.datatypes.generated.Uint256>() {})));
    return (BigInteger) out.get(0).getValue();
  }
}
