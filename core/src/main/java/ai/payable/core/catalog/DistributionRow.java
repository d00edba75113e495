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
 * One row of {@link Tables#DISTRIBUTIONS}: an epoch's Merkle root, its totals, where its files are
 * and where it stands on chain. {@link #fromRow} and {@link #toRow} are the only places that name
 * the table's columns.
 *
 * @param txHash the last transaction that changed the status on chain, or null before any
 * @param reportUri the governance report of this root, or null before {@code payable report} wrote one
 */
public record DistributionRow(LocalDate epoch, String root, long accounts, BigInteger cumulativeTotalWei, BigInteger epochTotalWei, String artifactUri,
    String contentHash, DistributionStatus status, String txHash, Instant updatedAt, String reportUri) {

  /** The row as read from the table. */
  public static DistributionRow fromRow(Row r) {
    return new DistributionRow(r.<Date>getAs("epoch").toLocalDate(), r.getAs("root"), r.<Long>getAs("accounts"),
        r.<BigDecimal>getAs("cumulative_total_wei").toBigIntegerExact(), r.<BigDecimal>getAs("epoch_total_wei").toBigIntegerExact(), r.getAs("artifact_uri"),
        r.getAs("content_hash"), DistributionStatus.of(r.getAs("status")), r.getAs("tx_hash"), r.<Timestamp>getAs("updated_at").toInstant(),
        r.getAs("report_uri"));
  }

  /** The row in the table's schema ({@link Tables#DISTRIBUTIONS}), columns in its order. */
  public Row toRow() {
    return RowFactory.create(Date.valueOf(epoch), root, accounts, new BigDecimal(cumulativeTotalWei), new BigDecimal(epochTotalWei), artifactUri, contentHash,
        status.value(), txHash, Timestamp.from(updatedAt), reportUri);
  }
}
