package ai.payable.core.catalog;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A row of {@link Tables#CHAIN_TRANSACTIONS}: one signed transaction, as recorded before it was sent.
 *
 * @param rawTx the signed transaction, {@code 0x}-hex: public once broadcast, and enough to broadcast it again
 */
public record ChainTransactionRow(LocalDate epoch, ChainAction action, long chainId, String contract, String sender, long nonce, String txHash,
    String rawTx, BigInteger maxFeePerGasWei, BigInteger priorityFeePerGasWei, Instant signedAt) {

  /** The row as read from the table. */
  public static ChainTransactionRow fromRow(Row r) {
    return new ChainTransactionRow(r.<Date>getAs("epoch").toLocalDate(), ChainAction.of(r.getAs("action")), r.<Long>getAs("chain_id"),
        r.getAs("contract"), r.getAs("sender"), r.<Long>getAs("nonce"), r.getAs("tx_hash"), r.getAs("raw_tx"),
        r.<BigDecimal>getAs("max_fee_per_gas_wei").toBigIntegerExact(), r.<BigDecimal>getAs("priority_fee_per_gas_wei").toBigIntegerExact(),
        r.<Timestamp>getAs("signed_at").toInstant());
  }

  /** The row in the table's schema, columns in its order. */
  public Row toRow() {
    return RowFactory.create(Date.valueOf(epoch), action.value(), chainId, contract, sender, nonce, txHash, rawTx, new BigDecimal(maxFeePerGasWei),
        new BigDecimal(priorityFeePerGasWei), Timestamp.from(signedAt));
  }
}
