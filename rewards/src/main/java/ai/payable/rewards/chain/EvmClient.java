package ai.payable.rewards.chain;

import ai.payable.rewards.chain.binding.RewardToken;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.chain.binding.TestToken;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Sends EIP-1559 transactions and reads contract state over JSON-RPC with web3j: gas estimated
 * with a margin, each transaction signed once (so a retried send is the same transaction), receipts
 * polled at an L2-friendly interval, reverts surfaced with their data. The signing key stays inside
 * web3j's {@link Credentials}; nothing here prints it.
 */
public final class EvmClient {

  /** Gas estimates are raised by this percentage: estimates are exact for the state they saw. */
  private static final int GAS_MARGIN_PERCENT = 20;

  /** How nodes say "I have this transaction already" (geth, anvil/reth, nethermind). */
  private static final Pattern ALREADY_KNOWN = Pattern.compile("(?i)already (known|imported)|alreadyknown");

  private final Web3j web3;
  private final Credentials sender;
  private final String readAs;
  private final long chainId;
  private final RawTransactionManager signer;
  private final PollingTransactionReceiptProcessor receipts;
  private final long receiptPollMillis;

  /** A client that signs with {@code sender}; {@code null} makes a read-only one. */
  public EvmClient(Web3j web3, Credentials sender, long chainId, long receiptPollMillis) {
    this(web3, sender, null, chainId, receiptPollMillis);
  }

  private EvmClient(Web3j web3, Credentials sender, String readAs, long chainId, long receiptPollMillis) {
    this.web3 = web3;
    this.sender = sender;
    this.readAs = readAs;
    this.chainId = chainId;
    this.signer = sender == null ? null : new RawTransactionManager(web3, sender, chainId);
    this.receipts = new PollingTransactionReceiptProcessor(web3, receiptPollMillis, 600);
    this.receiptPollMillis = receiptPollMillis;
  }

  /** A client for reads only: no key, and every send fails. */
  public static EvmClient readOnly(ChainConnection connection) {
    return new EvmClient(connection.web3(), null, connection.chainId(), 1000);
  }

  /**
   * A client without a key that reads and simulates as {@code account}: for dry runs of calls that
   * another signer (a multisig, a hardware wallet) will send.
   */
  public static EvmClient readingAs(ChainConnection connection, String account) {
    return new EvmClient(connection.web3(), null, account, connection.chainId(), 1000);
  }

  /** A client on a checked connection. */
  public EvmClient(ChainConnection connection, Credentials sender, long receiptPollMillis) {
    this(connection.web3(), sender, connection.chainId(), receiptPollMillis);
  }

  /** The sending account (for a client without a key, the account it reads as, else the zero address). */
  public String from() {
    if (sender != null) {
      return sender.getAddress();
    }
    return readAs == null ? "0x0000000000000000000000000000000000000000" : readAs;
  }

  /** The chain id every transaction is signed for. */
  public long chainId() {
    return chainId;
  }

  /** The underlying web3j client, for reads the bindings do not cover (blocks, logs). */
  public Web3j web3() {
    return web3;
  }

  /** The generated binding of the distributor at {@code address}, for reads and encoding calls. */
  public RewardsDistributor distributor(String address) {
    return RewardsDistributor.load(address, web3, new ReadonlyTransactionManager(web3, from()), new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
  }

  /** The ERC-20 at {@code address} (any token with metadata), for reads and for calls to send with {@link #execute}. */
  public RewardToken erc20(String address) {
    return RewardToken.load(address, web3, new ReadonlyTransactionManager(web3, from()), new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
  }

  /** The demo's mintable {@code TestToken} at {@code address}: what {@code --test-token} deployments pay in. */
  public TestToken testToken(String address) {
    return TestToken.load(address, web3, new ReadonlyTransactionManager(web3, from()), new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
  }

  /** Deploys {@code bytecode} with ABI-encoded constructor arguments; returns the receipt. */
  @SuppressWarnings("rawtypes") // web3j's ABI encoder takes raw List<Type>
  public TransactionReceipt deploy(String bytecode, List<Type> constructorArgs) throws IOException, TransactionException {
    return send(null, bytecode + FunctionEncoder.encodeConstructor(constructorArgs));
  }

  /** Sends a state-changing call built by a generated binding; returns the receipt. */
  public TransactionReceipt execute(String contract, RemoteFunctionCall<TransactionReceipt> call) throws IOException, TransactionException {
    return send(contract, call.encodeFunctionCall());
  }

  /** Sends {@code function} on {@code contract} in a transaction; returns the receipt. */
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

  /** Reads a view through a generated binding ({@code chain.read(distributor.root())}). */
  public <T> T read(RemoteCall<T> view) throws IOException {
    try {
      return view.send();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) { // web3j declares Exception; a view read fails with I/O or a revert
      throw new IOException("contract read failed: " + e.getMessage(), e);
    }
  }

  /** Simulates a binding's call from {@code caller}; throws {@link ContractRevert} if it would revert. */
  public void simulate(String caller, String contract, RemoteFunctionCall<TransactionReceipt> call) throws IOException {
    simulate(caller, contract, call.encodeFunctionCall(), "call");
  }

  /** Simulates {@code function} from {@code caller}; throws {@link ContractRevert} if it would revert. */
  public void simulate(String caller, String contract, Function function) throws IOException {
    simulate(caller, contract, FunctionEncoder.encode(function), function.getName());
  }

  private void simulate(String caller, String contract, String data, String name) throws IOException {
    EthCall call = web3.ethCall(Transaction.createEthCallTransaction(caller, contract, data), DefaultBlockParameterName.LATEST).send();
    if (call.isReverted() || call.hasError()) {
      throw new ContractRevert(name, call.getRevertReason(), call.getError() == null ? null : call.getError().getData());
    }
  }

  /** The latest block's timestamp, in seconds: the clock timelocks are measured against. */
  public long chainTime() throws IOException {
    return web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp().longValueExact();
  }

  /** EIP-1559 fees per gas, in wei. */
  public record Fees(BigInteger priority, BigInteger max) {

    /**
     * Fees for replacing a transaction paid with {@code this}: each raised by a quarter (nodes
     * demand at least 10%, geth's default), and never below {@code market}.
     */
    public Fees bumpedTo(Fees market) {
      return new Fees(raise(priority).max(market.priority()), raise(max).max(market.max()));
    }

    private static BigInteger raise(BigInteger fee) {
      return fee.multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4)).add(BigInteger.ONE);
    }
  }

  /**
   * A signed transaction. The raw form is what the node receives; recorded before it is sent, it
   * lets a later run send exactly the same transaction again.
   */
  public record Signed(String to, String data, BigInteger nonce, BigInteger gasLimit, Fees fees, String raw, String hash) {}

  /** What the node said to a broadcast. */
  public enum Broadcast {
    /** Taken into the mempool, or known there already. */
    ACCEPTED,
    /** The nonce was consumed already: this transaction, or another at its nonce, was mined. */
    NONCE_USED
  }

  /** How nodes say a nonce was consumed already (geth, anvil/reth, nethermind, erigon). */
  private static final Pattern NONCE_USED = Pattern.compile("(?i)nonce too low|nonce.*already used|oldnonce|nonce has already been used");

  /** The market's fees now: the node's suggested tip, and twice the latest base fee above it. */
  public Fees currentFees() throws IOException {
    BigInteger tip = web3.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas();
    BigInteger base = web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getBaseFeePerGas();
    return new Fees(tip, base.multiply(BigInteger.TWO).add(tip));
  }

  /** The sender's next nonce: counting its transactions in the mempool ({@code pending}) or only those mined. */
  public BigInteger nonce(boolean pending) throws IOException {
    return web3.ethGetTransactionCount(from(), pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST).send().getTransactionCount();
  }

  /**
   * The gas {@code data} sent to {@code to} needs (null: a deployment), with a margin.
   *
   * @throws ContractRevert when the call would revert now
   */
  public BigInteger estimateGas(String to, String data) throws IOException {
    Transaction estimate = to == null
        ? Transaction.createContractTransaction(from(), null, null, data)
        : Transaction.createFunctionCallTransaction(from(), null, null, null, to, data);
    var gas = web3.ethEstimateGas(estimate).send();
    if (gas.hasError()) {
      throw new ContractRevert(to == null ? "deploy" : "transaction", gas.getError().getMessage(), gas.getError().getData());
    }
    return gas.getAmountUsed().multiply(BigInteger.valueOf(100 + GAS_MARGIN_PERCENT)).divide(BigInteger.valueOf(100));
  }

  /** Signs a transaction; nothing is sent. */
  public Signed sign(String to, String data, BigInteger nonce, BigInteger gasLimit, Fees fees) {
    if (signer == null) {
      throw new IllegalStateException("this command was given no signing key; pass --keystore or --private-key-env");
    }
    String raw = signer.sign(RawTransaction.createTransaction(chainId, nonce, gasLimit, to == null ? "" : to, BigInteger.ZERO, data, fees.priority(),
        fees.max()));
    return new Signed(to, data, nonce, gasLimit, fees, raw, Hash.sha3(raw));
  }

  /**
   * Sends a signed transaction. Sending it again is harmless: the node knows it already.
   *
   * @throws IOException when the node rejects it for another reason (underpriced, out of funds)
   */
  public Broadcast broadcast(String raw) throws IOException {
    EthSendTransaction sent = web3.ethSendRawTransaction(raw).send();
    if (!sent.hasError() || ALREADY_KNOWN.matcher(sent.getError().getMessage()).find()) {
      return Broadcast.ACCEPTED;
    }
    if (NONCE_USED.matcher(sent.getError().getMessage()).find()) {
      return Broadcast.NONCE_USED;
    }
    if (receipt(Hash.sha3(raw)).isPresent()) {
      return Broadcast.NONCE_USED;
    }
    throw new IOException("transaction rejected by the node: " + sent.getError().getMessage());
  }

  /** The receipt of {@code hash}, when mined. */
  public Optional<TransactionReceipt> receipt(String hash) throws IOException {
    return web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
  }

  /**
   * Waits for the receipt of {@code hash} for at most {@code patience}, polling.
   *
   * @return empty when it was not mined in that time
   */
  public Optional<TransactionReceipt> awaitReceipt(String hash, Duration patience) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      Optional<TransactionReceipt> r = receipt(hash);
      if (r.isPresent() || System.nanoTime() > deadline) {
        return r;
      }
      pause(Duration.ofMillis(receiptPollMillis));
    }
  }

  /**
   * Waits until {@code receipt}'s block has {@code depth} confirmations (1: mined) and is still on
   * the chain: a receipt that a reorganisation dropped is looked up again.
   *
   * @return the receipt, as it stands once confirmed
   * @throws IOException when that takes longer than {@code patience}
   */
  public TransactionReceipt awaitConfirmations(TransactionReceipt receipt, int depth, Duration patience) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    TransactionReceipt current = receipt;
    while (true) {
      long latest = web3.ethBlockNumber().send().getBlockNumber().longValueExact();
      Optional<TransactionReceipt> again = receipt(current.getTransactionHash());
      if (again.isPresent()) {
        current = again.get();
        if (latest - current.getBlockNumber().longValueExact() + 1 >= depth) {
          return current;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("transaction " + receipt.getTransactionHash() + " has not reached " + depth + " confirmation(s) in " + patience.toSeconds()
            + " s (the node is at block " + latest + "); re-run to keep waiting; nothing else sent");
      }
      pause(Duration.ofMillis(receiptPollMillis));
    }
  }

  private static void pause(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a transaction");
    }
  }

  private TransactionReceipt send(String to, String data) throws IOException, TransactionException {
    BigInteger gasLimit = estimateGas(to, data);
    Signed signed = sign(to, data, nonce(true), gasLimit, currentFees());
    if (broadcast(signed.raw()) == Broadcast.NONCE_USED && receipt(signed.hash()).isEmpty()) {
      throw new IOException("transaction rejected by the node: its nonce " + signed.nonce() + " was used by another transaction of " + from());
    }
    TransactionReceipt receipt = receipts.waitForTransactionReceipt(signed.hash());
    if (!receipt.isStatusOK()) {
      throw new TransactionException("transaction " + receipt.getTransactionHash() + " reverted", receipt);
    }
    return receipt;
  }
}
