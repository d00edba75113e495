package ai.payable.rewards.chain;

import ai.payable.core.catalog.ChainAction;
import ai.payable.core.catalog.ChainTransactionRow;
import ai.payable.core.failpoint.Failpoint;
import ai.payable.core.identity.Address;
import ai.payable.rewards.distribution.TransactionJournal;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * Sends the operator's transactions crash-safely, through the {@link TransactionJournal}: each is
 * signed, recorded, then sent. A re-run of the same action for the same epoch looks its earlier
 * attempts up first, and
 *
 * <ul>
 *   <li>returns the receipt of one that was mined (after the confirmation depth);
 *   <li>sends the recorded one again when its nonce is still open (the node may have lost it), and
 *       waits; if it stays unmined past {@link Settings#stuckAfter}, replaces it at the same nonce
 *       with fees a quarter higher, recorded first, so that at most one of them can ever be mined;
 *   <li>signs a new transaction only when no attempt exists, or every attempt's nonce was used by
 *       some other transaction.
 * </ul>
 *
 * It never sends a second independent transaction for one action.
 */
public final class JournaledSender {

  /**
   * How long to wait, and how far to go.
   *
   * @param confirmations blocks a receipt needs, counting its own (1: mined)
   * @param stuckAfter how long an unmined transaction waits before its fees are raised
   * @param maxReplacements how many fee raises one run makes before it stops and says so
   * @param confirmationPatience how long to wait for the confirmations
   */
  public record Settings(int confirmations, Duration stuckAfter, int maxReplacements, Duration confirmationPatience) {

    /** One confirmation, fees raised after three minutes, up to three times. */
    public static final Settings DEFAULT = new Settings(1, Duration.ofMinutes(3), 3, Duration.ofMinutes(10));

    public Settings {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be at least 1 (the block that mines the transaction), got " + confirmations);
      }
    }
  }

  private final TransactionJournal journal;
  private final EvmClient chain;
  private final Settings settings;

  public JournaledSender(TransactionJournal journal, EvmClient chain, Settings settings) {
    this.journal = journal;
    this.chain = chain;
    this.settings = settings;
  }

  /**
   * Sends {@code data} to {@code contract} as {@code action} of {@code epoch}, or finishes what an
   * earlier run of it started.
   *
   * @return the receipt, confirmed
   * @throws TransactionException when the transaction was mined and reverted
   * @throws IOException when it is still unmined after the replacements allowed: re-running
   *     continues from the recorded transaction
   */
  public TransactionReceipt send(LocalDate epoch, ChainAction action, String contract, String data) throws IOException, TransactionException {
    String to = Address.parse(contract).checksummed();
    String sender = Address.parse(chain.from()).checksummed();
    List<ChainTransactionRow> attempts = journal.attempts(epoch, action, chain.chainId(), to, sender);
    Optional<TransactionReceipt> mined = minedAmong(attempts, data, false);
    if (mined.isPresent()) {
      return confirmed(mined.get());
    }
    BigInteger minedNonce = chain.nonce(false);
    Optional<ChainTransactionRow> open = attempts.stream().filter(a -> BigInteger.valueOf(a.nonce()).compareTo(minedNonce) >= 0)
        .max(Comparator.comparing(ChainTransactionRow::signedAt));
    EvmClient.Signed current;
    if (open.isPresent() && sameData(open.get(), data)) {
      ChainTransactionRow a = open.get();
      current = new EvmClient.Signed(to, data, BigInteger.valueOf(a.nonce()), null, new EvmClient.Fees(a.priorityFeePerGasWei(), a.maxFeePerGasWei()),
          a.rawTx(), a.txHash());
    } else {
      // A new transaction; if an earlier one with other data is still open, this one takes its nonce and outbids it.
      BigInteger nonce = open.map(a -> BigInteger.valueOf(a.nonce())).orElse(chain.nonce(true));
      EvmClient.Fees market = chain.currentFees();
      EvmClient.Fees fees = open.map(a -> new EvmClient.Fees(a.priorityFeePerGasWei(), a.maxFeePerGasWei()).bumpedTo(market)).orElse(market);
      current = signAndRecord(epoch, action, to, data, nonce, chain.estimateGas(to, data), fees);
    }
    for (int replacements = 0; ; replacements++) {
      if (chain.broadcast(current.raw()) == EvmClient.Broadcast.NONCE_USED) {
        Optional<TransactionReceipt> ours = minedAmong(atNonce(journal.attempts(epoch, action, chain.chainId(), to, sender), current.nonce()), data, true);
        if (ours.isPresent()) {
          return confirmed(ours.get());
        }
        throw new IOException("nonce " + current.nonce() + " of " + sender + " was used by a transaction this lakehouse did not record; nothing was "
            + action.value() + " for " + epoch + ". Check the account's recent transactions, then re-run: it signs a new one");
      }
      Failpoint.TRANSACTION_SENT.reach();
      Optional<TransactionReceipt> receipt = chain.awaitReceipt(current.hash(), settings.stuckAfter());
      if (receipt.isEmpty()) {
        receipt = minedAmong(atNonce(journal.attempts(epoch, action, chain.chainId(), to, sender), current.nonce()), data, true);
      }
      if (receipt.isPresent()) {
        return confirmed(receipt.get());
      }
      if (replacements == settings.maxReplacements()) {
        throw new IOException("transaction " + current.hash() + " (nonce " + current.nonce() + ") is still not mined after " + (replacements + 1)
            + " attempt(s) with rising fees, the last at " + current.fees().max() + " wei per gas; re-run to keep waiting or raise the fee again; "
            + "nothing else was sent");
      }
      BigInteger gasLimit = current.gasLimit() != null ? current.gasLimit() : TransactionDecoder.decode(current.raw()).getGasLimit();
      current = signAndRecord(epoch, action, to, data, current.nonce(), gasLimit, current.fees().bumpedTo(chain.currentFees()));
    }
  }

  /**
   * The confirmed receipt of an earlier, successful attempt at {@code action} of {@code epoch}
   * carrying {@code data}; sends nothing.
   */
  public Optional<TransactionReceipt> completed(LocalDate epoch, ChainAction action, String contract, String data) throws IOException, TransactionException {
    Optional<TransactionReceipt> mined = minedAmong(journal.attempts(epoch, action, chain.chainId(), Address.parse(contract).checksummed(),
        Address.parse(chain.from()).checksummed()), data, false);
    return mined.isPresent() ? Optional.of(confirmed(mined.get())) : Optional.empty();
  }

  private EvmClient.Signed signAndRecord(LocalDate epoch, ChainAction action, String to, String data, BigInteger nonce, BigInteger gasLimit,
      EvmClient.Fees fees) {
    EvmClient.Signed signed = chain.sign(to, data, nonce, gasLimit, fees);
    journal.record(new ChainTransactionRow(epoch, action, chain.chainId(), to, Address.parse(chain.from()).checksummed(), nonce.longValueExact(),
        signed.hash(), signed.raw(), fees.max(), fees.priority(), Instant.now()));
    return signed;
  }

  /**
   * A mined attempt carrying {@code data}, if any. One that reverted counts only for the run that
   * sent it (it reports the revert); a later run, having checked the state again, sends anew.
   */
  private Optional<TransactionReceipt> minedAmong(List<ChainTransactionRow> attempts, String data, boolean includeReverted) throws IOException {
    for (ChainTransactionRow a : attempts) {
      if (sameData(a, data)) {
        Optional<TransactionReceipt> r = chain.receipt(a.txHash());
        if (r.isPresent() && (includeReverted || r.get().isStatusOK())) {
          return r;
        }
      }
    }
    return Optional.empty();
  }

  private static List<ChainTransactionRow> atNonce(List<ChainTransactionRow> attempts, BigInteger nonce) {
    return attempts.stream().filter(a -> a.nonce() == nonce.longValueExact()).toList();
  }

  private static boolean sameData(ChainTransactionRow attempt, String data) {
    return TransactionDecoder.decode(attempt.rawTx()).getData().replaceFirst("^0x", "").equalsIgnoreCase(data.replaceFirst("^0x", ""));
  }

  private TransactionReceipt confirmed(TransactionReceipt receipt) throws IOException, TransactionException {
    TransactionReceipt r = chain.awaitConfirmations(receipt, settings.confirmations(), settings.confirmationPatience());
    if (!r.isStatusOK()) {
      throw new TransactionException("transaction " + r.getTransactionHash() + " was mined in block " + r.getBlockNumber() + " and reverted", r);
    }
    return r;
  }
}
