package ai.payable.rewards.distribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.payable.core.catalog.ChainAction;
import ai.payable.core.catalog.ChainTransactionRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

/**
 * The {@code chain_transactions} table: every transaction the operator signs is appended here
 * before it is sent, so that a run killed between signing and the receipt can find it again.
 */
public final class TransactionJournal {

  private final Lakehouse lakehouse;

  public TransactionJournal(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** Records a signed transaction; call before sending it. */
  public void record(ChainTransactionRow row) {
    lakehouse.append(Tables.CHAIN_TRANSACTIONS, List.of(row.toRow()));
  }

  /** The transactions signed for {@code action} of {@code epoch} by {@code sender} to {@code contract} on {@code chainId}, oldest first. */
  public List<ChainTransactionRow> attempts(LocalDate epoch, ChainAction action, long chainId, String contract, String sender) {
    return lakehouse.read(Tables.CHAIN_TRANSACTIONS)
        .where(col("epoch").equalTo(lit(Date.valueOf(epoch))).and(col("action").equalTo(lit(action.value()))).and(col("chain_id").equalTo(lit(chainId)))
            .and(col("contract").equalTo(lit(contract))).and(col("sender").equalTo(lit(sender))))
        .orderBy(col("signed_at"), col("nonce")).collectAsList().stream().map(ChainTransactionRow::fromRow).toList();
  }
}
