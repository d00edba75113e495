package ai.payable.rewards.distribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import java.sql.Date;
import java.time.LocalDate;

/**
 * A day on which no answer was logged has nothing to distribute. Its nightly run builds, reports
 * and proposes nothing, and succeeds: a quiet day (the first nights of a deployment, a holiday) is
 * not a failure to page anyone about, and its rewards would only repeat the previous root.
 */
public final class QuietEpoch {

  private QuietEpoch() {}

  /**
   * Whether {@code epoch} logged no answer, was paid no reward and has no distribution. A day with
   * answers but no rewards is not quiet: its attribution has not run.
   */
  public static boolean isQuiet(Lakehouse lakehouse, LocalDate epoch) {
    return new DistributionLedger(lakehouse).find(epoch).isEmpty() && !hasRows(lakehouse, Tables.INFERENCES, epoch)
        && !hasRows(lakehouse, Tables.EPOCH_REWARDS, epoch);
  }

  /** How the nightly's later steps begin to say that {@code epoch} is quiet. */
  public static String message(LocalDate epoch) {
    return "epoch " + epoch + " logged no answers";
  }

  private static boolean hasRows(Lakehouse lakehouse, TableDef table, LocalDate epoch) {
    return lakehouse.exists(table) && !lakehouse.read(table).where(col("epoch").equalTo(lit(Date.valueOf(epoch)))).limit(1).isEmpty();
  }
}
