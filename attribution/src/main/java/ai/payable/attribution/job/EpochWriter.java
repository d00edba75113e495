package ai.payable.attribution.job;

import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.failpoint.Failpoint;
import ai.payable.core.lakehouse.Lakehouse;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;

/** Commits an epoch's {@code attributions} and {@code epoch_rewards}, each replacing the epoch's partition, once the wei add up. */
final class EpochWriter {

  private EpochWriter() {}

  static void write(Lakehouse lakehouse, LocalDate epoch, Payout payout) {
    if (!payout.paid().equals(payout.fees())) {
      throw new IllegalStateException("epoch " + epoch + ": rewards sum to " + payout.paid() + " wei but fees to " + payout.fees() + "; nothing written");
    }
    replace(lakehouse, Tables.ATTRIBUTIONS, epoch, payout.attributions());
    Failpoint.ATTRIBUTIONS_WRITTEN.reach();
    replace(lakehouse, Tables.EPOCH_REWARDS, epoch, payout.rewards());
  }

  private static void replace(Lakehouse lakehouse, TableDef table, LocalDate epoch, List<Row> rows) {
    lakehouse.replace(table, "epoch", epoch, rows);
  }
}
