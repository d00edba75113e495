package ai.payable.rewards.chain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.payable.core.catalog.Tables;
import ai.payable.core.crypto.Hex;
import ai.payable.core.lakehouse.Lakehouse;
import java.io.IOException;
import java.math.BigInteger;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * Proposes an epoch's root on-chain, idempotently: it reads the chain first and sends nothing when
 * the same root is already pending or accepted for the epoch, and refuses when a different root
 * sits there. On-chain epochs are UTC day numbers (days since 1970-01-01).
 */
public final class RootPoster {

  /** What {@link #propose} did. */
  public enum Outcome {
    SENT,
    ALREADY_PENDING,
    ALREADY_ACCEPTED
  }

  /** The outcome and, when sent, the transaction hash. */
  public record Result(Outcome outcome, String root, String txHash) {}

  private final Lakehouse lakehouse;
  private final EvmClient chain;
  private final String distributor;

  public RootPoster(Lakehouse lakehouse, EvmClient chain, String distributor) {
    this.lakehouse = lakehouse;
    this.chain = chain;
    this.distributor = distributor;
  }

  /** Proposes the root of {@code epoch}'s built distribution. */
  public Result propose(LocalDate epoch) throws IOException, TransactionException {
    Row d = lakehouse.read(Tables.DISTRIBUTIONS).where(col("epoch").equalTo(lit(Date.valueOf(epoch)))).collectAsList().stream()
        .findFirst().orElseThrow(() -> new IllegalStateException("no distribution for epoch " + epoch + "; run `payable rewards build --epoch " + epoch + "` first"));
    String root = d.getAs("root");
    long day = epoch.toEpochDay();

    String acceptedRoot = bytes32(read("root", List.of(new TypeReference<Bytes32>() {})).get(0));
    long acceptedEpoch = ((BigInteger) read("epoch", List.of(new TypeReference<Uint64>() {})).get(0).getValue()).longValue();
    if (acceptedEpoch == day) {
      if (acceptedRoot.equals(root)) {
        record(epoch, "accepted", d.getAs("tx_hash"));
        return new Result(Outcome.ALREADY_ACCEPTED, root, d.getAs("tx_hash"));
      }
      throw new IllegalStateException("epoch " + epoch + " is accepted on-chain with root " + acceptedRoot + ", not " + root + "; nothing sent");
    }
    if (acceptedEpoch > day) {
      throw new IllegalStateException("the distributor is already at epoch " + LocalDate.ofEpochDay(acceptedEpoch) + "; " + epoch + " can no longer be proposed");
    }
    @SuppressWarnings("rawtypes")
    List<Type> pending = read("pendingRoot", List.of(new TypeReference<Bytes32>() {}, new TypeReference<Bytes32>() {},
        new TypeReference<Uint64>() {}, new TypeReference<Uint64>() {}));
    String pendingRoot = bytes32(pending.get(0));
    long pendingEpoch = ((BigInteger) pending.get(2).getValue()).longValue();
    if (pendingEpoch == day && !pendingRoot.equals(Hex.encode(new byte[32]))) {
      if (pendingRoot.equals(root)) {
        return new Result(Outcome.ALREADY_PENDING, root, d.getAs("tx_hash"));
      }
      throw new IllegalStateException("epoch " + epoch + " is pending on-chain with root " + pendingRoot + ", not " + root
          + "; the guardian must revoke it before another root is proposed; nothing sent");
    }
    TransactionReceipt receipt = chain.execute(distributor, DistributorCalls.submitRoot(root, day, Hex.decode(d.getAs("content_hash"))));
    record(epoch, "proposed", receipt.getTransactionHash());
    return new Result(Outcome.SENT, root, receipt.getTransactionHash());
  }

  private void record(LocalDate epoch, String status, String txHash) {
    lakehouse.ensure(Tables.DISTRIBUTIONS).updateExpr("epoch = '" + epoch + "'",
        Map.of("status", "'" + status + "'", "tx_hash", txHash == null ? "tx_hash" : "'" + txHash + "'", "updated_at", "current_timestamp()"));
  }

  @SuppressWarnings("rawtypes")
  private List<Type> read(String name, List<TypeReference<?>> outputs) throws IOException {
    return chain.read(distributor, new Function(name, List.of(), outputs));
  }

  @SuppressWarnings("rawtypes")
  private static String bytes32(Type value) {
    return Hex.encode((byte[]) value.getValue());
  }
}
