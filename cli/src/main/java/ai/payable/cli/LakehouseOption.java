package ai.payable.cli;

import ai.payable.core.config.PayableConfig;
import ai.payable.core.lakehouse.Lakehouse;
import picocli.CommandLine.Option;

/** The {@code --lakehouse} option every command shares. */
public final class LakehouseOption {

  @Option(
      names = "--lakehouse",
      paramLabel = "URI",
      description = "Lakehouse root: a directory or s3a://bucket/prefix (default: $PAYABLE_LAKEHOUSE or ./lakehouse).")
  String lakehouse;

  /** The configuration these options describe. */
  public PayableConfig config() {
    return PayableConfig.fromEnvironment(lakehouse);
  }

  /** Opens the lakehouse (starting a local Spark session unless spark-submit made one). */
  public Lakehouse open() {
    return Lakehouse.open(config());
  }
}
