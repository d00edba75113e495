package ai.payable.cli.report;

import ai.payable.cli.ChainOptions;
import ai.payable.cli.LakehouseOption;
import ai.payable.cli.TokenOption;
import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.lakehouse.HadoopSettings;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.TokenUnits;
import ai.payable.governance.anomaly.Anomaly;
import ai.payable.governance.report.EpochReport;
import ai.payable.governance.report.GovernanceReport;
import ai.payable.governance.report.ReportSettings;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.DistributorState;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.TokenMetadata;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.distribution.QuietEpoch;
import ai.payable.rewards.merkle.DistributionManifest;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable report --epoch E}: the governance report of an epoch's distribution. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the governance report of an epoch: report-EPOCH.html (self-contained: inline CSS and SVG charts) and report-EPOCH.json.",
      "It shows the root and totals, how to verify the root, the distribution of rewards (histogram, Lorenz curve, Gini), top contributors "
          + "with the records and answers that earned most, the change against the previous epoch, anomalies with their evidence, "
          + "and the attribution method mix with fidelity figures.",
      "With --rpc (or $PAYABLE_RPC_URL) and --distributor, it also reads the pending root, the time left in its timelock and the commands "
          + "that stop it, and the token's symbol and decimals (else --token-units, else those the distribution's files record, else wei)."
    })
public final class ReportCommand implements Callable<Integer> {

  @Mixin LakehouseOption lakehouse;

  @Option(names = "--epoch", required = true, paramLabel = "YYYY-MM-DD", description = "The epoch (UTC day).")
  LocalDate epoch;

  @Option(names = "--out", defaultValue = "build/reports", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--fidelity", paramLabel = "FILE", description = "Fidelity figures to show, as `benchmarks/run fidelity --json FILE` writes them.")
  Path fidelity;

  @Option(names = "--jump-factor", defaultValue = "3.0", paramLabel = "X", description = "Flag contributors whose share grew more than this factor (default: ${DEFAULT-VALUE}).")
  double jumpFactor;

  @Option(names = "--record-concentration", defaultValue = "0.25", paramLabel = "F",
      description = "Flag one record earning more than this fraction of the data rewards (default: ${DEFAULT-VALUE}).")
  double recordConcentration;

  @Option(names = "--spike-factor", defaultValue = "3.0", paramLabel = "X",
      description = "Flag quarantine reasons above this factor of their recent daily mean (default: ${DEFAULT-VALUE}).")
  double spikeFactor;

  @Mixin ChainOptions chain;

  @Mixin ChainOptions.Distributor distributor;

  @Mixin TokenOption token;

  @Override
  public Integer call() throws Exception {
    ReportSettings d = ReportSettings.DEFAULT;
    ReportSettings settings = new ReportSettings(jumpFactor, d.minShare(), recordConcentration, spikeFactor, d.quarantineSpikeMinLines(), d.baselineDays(),
        d.top());
    List<EpochReport.FidelityFigure> figures = fidelity == null ? List.of() : GovernanceReport.readFidelity(fidelity);
    Lakehouse lh = lakehouse.open();
    if (QuietEpoch.isQuiet(lh, epoch)) {
      System.out.println(QuietEpoch.message(epoch) + ": no distribution, nothing to report");
      return 0;
    }
    // One connection reads both the distributor's state and its token (when --token-units does not name the units).
    Optional<EpochReport.OnChain> onChain = Optional.empty();
    TokenUnits units = token.givenOrWei();
    if (chain.configured() && distributor.configured()) {
      try (ChainConnection connection = chain.connect()) {
        EvmClient client = EvmClient.readOnly(connection);
        onChain = Optional.of(onChain(DistributorState.read(client, distributor.address()), distributor.address(),
            connection.chainId()));
        units = units.isWei() ? TokenMetadata.read(client, distributor.address()) : units;
      }
    }
    if (units.isWei()) {
      units = unitsOfTheDistribution(lh);
    }
    GovernanceReport.Written w = new GovernanceReport(lh, settings).write(epoch, out, onChain, figures, units);
    EpochReport r = w.report();
    System.out.printf("epoch %s  root %s  status %s%n", epoch, r.distribution().root(), r.distribution().status());
    System.out.printf("fees %s from %d answers; data %s to %d contributors%n", units.format(r.feesIn()), r.answers(), units.format(r.dataPaid()),
        r.contributors().size());
    System.out.printf("%d anomal%s to review%n", w.anomalies().size(), w.anomalies().size() == 1 ? "y" : "ies");
    for (Anomaly a : w.anomalies()) {
      System.out.printf("  %-34s %s: %s%n", a.kind().title(), a.subject(), a.summary());
    }
    // The proposal's record names the report governance reviews it by.
    new DistributionLedger(lh).recordReport(epoch, r.distribution().root(), w.html().toAbsolutePath().toUri().toString());
    System.out.println("report: " + w.html().toAbsolutePath());
    System.out.println("summary: " + w.json().toAbsolutePath());
    return 0;
  }

  /** The units the epoch's published distribution records, else wei. */
  private TokenUnits unitsOfTheDistribution(Lakehouse lh) throws java.io.IOException {
    Optional<String> folder = new DistributionLedger(lh).find(epoch).map(DistributionRow::artifactUri);
    return folder.isEmpty() ? TokenUnits.WEI : DistributionManifest.tokenOf(folder.get(), HadoopSettings.configuration(lakehouse.config()));
  }

  /** What the report shows of the distributor's state (governance reads no chain itself). */
  public static EpochReport.OnChain onChain(DistributorState s, String distributor, long chainId) {
    return new EpochReport.OnChain(distributor, chainId, s.root(), s.pending().map(DistributorState.PendingRoot::root),
        s.pending().map(DistributorState.PendingRoot::validAt), s.paused(), s.timelockSeconds(), s.chainTime());
  }
}
