package ai.payable.rewards.distribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.stage.MissingInputException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Reads and updates the {@code distributions} table: each epoch's root and its on-chain status. */
public final class DistributionLedger {

  private final Lakehouse lakehouse;

  public DistributionLedger(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** The row of {@code epoch}, if built. */
  public Optional<DistributionRow> find(LocalDate epoch) {
    return first(lakehouse.read(Tables.DISTRIBUTIONS).where(col("epoch").equalTo(lit(Date.valueOf(epoch)))));
  }

  /** The latest distribution before {@code epoch}, if any. */
  public Optional<DistributionRow> previous(LocalDate epoch) {
    return first(lakehouse.read(Tables.DISTRIBUTIONS).where(col("epoch").lt(lit(Date.valueOf(epoch)))).orderBy(col("epoch").desc()));
  }

  /** The distribution whose root is {@code root}, if any. */
  public Optional<DistributionRow> withRoot(String root) {
    return first(lakehouse.read(Tables.DISTRIBUTIONS).where(col("root").equalTo(lit(root))));
  }

  private static Optional<DistributionRow> first(Dataset<Row> rows) {
    return rows.limit(1).collectAsList().stream().findFirst().map(DistributionRow::fromRow);
  }

  /** Inserts {@code row}, or replaces the row of its epoch. */
  public void put(DistributionRow row) {
    lakehouse.upsert(Tables.DISTRIBUTIONS, List.of(row.toRow()), "epoch", Set.of());
  }

  /** The row of {@code epoch}; without one, a {@link MissingInputException} whose remedy is to build it. */
  public DistributionRow require(LocalDate epoch) {
    return find(epoch).orElseThrow(() -> new MissingInputException("no distribution for epoch " + epoch + " in " + lakehouse.path(Tables.DISTRIBUTIONS),
        MissingInputException.Remedy.BUILD_DISTRIBUTION, epoch));
  }

  /**
   * Records an on-chain status change of {@code epoch} when its row holds {@code root}.
   *
   * @param txHash the transaction that made the change, or null to keep the recorded one
   * @return false when the table has no such epoch with that root (a root built elsewhere)
   */
  public boolean mark(LocalDate epoch, String root, DistributionStatus status, String txHash) {
    if (find(epoch).filter(r -> root.equals(r.root())).isEmpty()) {
      return false;
    }
    lakehouse.ensure(Tables.DISTRIBUTIONS).updateExpr("epoch = '" + epoch + "'",
        Map.of("status", "'" + status.value() + "'", "tx_hash", txHash == null ? "tx_hash" : "'" + txHash + "'", "updated_at", "current_timestamp()"));
    return true;
  }

  /**
   * Records where the governance report of {@code epoch}'s distribution is, when its row holds
   * {@code root} (the report is of that root).
   *
   * @return false when the table has no such epoch with that root
   */
  public boolean recordReport(LocalDate epoch, String root, String reportUri) {
    if (find(epoch).filter(r -> root.equals(r.root())).isEmpty()) {
      return false;
    }
    lakehouse.ensure(Tables.DISTRIBUTIONS).updateExpr("epoch = '" + epoch + "'",
        Map.of("report_uri", "'" + reportUri.replace("'", "''") + "'", "updated_at", "current_timestamp()"));
    return true;
  }
}
