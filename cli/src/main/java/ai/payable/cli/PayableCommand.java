package ai.payable.cli;

import ai.payable.cli.airflow.AirflowCommand;
import ai.payable.cli.attribute.AttributeCommand;
import ai.payable.cli.claim.ClaimCommand;
import ai.payable.cli.datanet.DatanetCommand;
import ai.payable.cli.demo.DemoCommand;
import ai.payable.cli.gateway.GatewayCommand;
import ai.payable.cli.index.IndexCommand;
import ai.payable.cli.ingest.IngestCommand;
import ai.payable.cli.keystore.KeystoreCommand;
import ai.payable.cli.lakehouse.LakehouseCommand;
import ai.payable.cli.model.ModelCommand;
import ai.payable.cli.report.ReportCommand;
import ai.payable.cli.rewards.RewardsCommand;
import ai.payable.cli.sample.SampleCommand;
import ai.payable.cli.sql.SqlCommand;
import ai.payable.cli.train.InferCommand;
import ai.payable.cli.train.TrainCommand;
import picocli.CommandLine.Command;

/** The top-level {@code payable} command. */
@Command(
    name = "payable",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Payable AI: pays data contributors from the AI answers their data makes possible.",
      "",
      "Every command works on a lakehouse of Delta tables (--lakehouse, default ./lakehouse, or $PAYABLE_LAKEHOUSE): a local directory or an s3a:// prefix."
    },
    subcommands = {
      KeystoreCommand.class,
      DatanetCommand.class,
      GatewayCommand.class,
      IngestCommand.class,
      ModelCommand.class,
      TrainCommand.class,
      InferCommand.class,
      IndexCommand.class,
      AttributeCommand.class,
      AirflowCommand.class,
      RewardsCommand.class,
      ClaimCommand.class,
      ReportCommand.class,
      SqlCommand.class,
      LakehouseCommand.class,
      SampleCommand.class,
      DemoCommand.class,
      picocli.CommandLine.HelpCommand.class
    })
public final class PayableCommand {}
