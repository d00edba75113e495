package ai.payable.governance.anomaly;

import ai.payable.core.money.TokenUnits;
import ai.payable.governance.report.EpochReport;
import ai.payable.governance.report.ReportSettings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The anomaly checks of an epoch, each returning the anomalies it found with their evidence. */
public final class AnomalyRules {

  private final ReportSettings settings;

  public AnomalyRules(ReportSettings settings) {
    this.settings = settings;
  }

  /** Every check, in the report's order, with its threshold and what it flagged. */
  public List<CheckResult> run(EpochReport report) {
    String jump = String.format(Locale.ROOT, "share grew more than ×%.1f (shares ≥ %.0f%%)", settings.shareJumpFactor(), 100 * settings.minShare());
    return List.of(
        report.previous().isEmpty() ? CheckResult.skipped(Anomaly.Kind.SHARE_JUMP, jump, "no previous epoch to compare with")
            : CheckResult.ran(Anomaly.Kind.SHARE_JUMP, jump, shareJumps(report)),
        CheckResult.ran(Anomaly.Kind.RECORD_CONCENTRATION, String.format(Locale.ROOT, "one record > %.0f%% of the data rewards",
            100 * settings.recordConcentration()), recordConcentration(report)),
        CheckResult.ran(Anomaly.Kind.NEAR_DUPLICATES, "any quarantined copy of a record that earned", nearDuplicates(report)),
        CheckResult.ran(Anomaly.Kind.NO_EVIDENCE, "any answer paid by the fallback rule", noEvidence(report)),
        CheckResult.ran(Anomaly.Kind.QUARANTINE_SPIKE, String.format(Locale.ROOT, "a reason's lines > ×%.1f its daily mean over %d days (≥ %d lines)",
            settings.quarantineSpikeFactor(), settings.baselineDays(), settings.quarantineSpikeMinLines()), quarantineSpikes(report)));
  }

  /** Contributors whose share of the data rewards grew by more than the factor since the previous epoch. */
  List<Anomaly> shareJumps(EpochReport report) {
    List<Anomaly> out = new ArrayList<>();
    if (report.previous().isEmpty()) {
      return out;
    }
    TokenUnits units = report.token();
    BigInteger now = total(report.contributors());
    BigInteger before = total(report.previousContributors());
    for (Map.Entry<String, BigInteger> c : report.contributors().entrySet()) {
      double share = fraction(c.getValue(), now);
      double previous = fraction(report.previousContributors().getOrDefault(c.getKey(), BigInteger.ZERO), before);
      if (share < settings.minShare()) {
        continue;
      }
      // New accounts have no previous share to jump from; the report lists them separately.
      if (previous > 0 && share > previous * settings.shareJumpFactor()) {
        out.add(new Anomaly(Anomaly.Kind.SHARE_JUMP, c.getKey(), String.format(Locale.ROOT, "share of data rewards went from %.2f%% to %.2f%% (×%.2f, threshold ×%.1f)",
            previous * 100, share * 100, share / previous, settings.shareJumpFactor()),
            List.of("epoch " + report.epoch() + ": " + units.format(c.getValue()) + " of " + units.format(now),
                "epoch " + report.previous().get().epoch() + ": " + units.format(report.previousContributors().getOrDefault(c.getKey(), BigInteger.ZERO))
                    + " of " + units.format(before))));
      }
    }
    return out;
  }

  /** Single records that earned more than the concentration threshold of the data rewards. */
  List<Anomaly> recordConcentration(EpochReport report) {
    List<Anomaly> out = new ArrayList<>();
    double data = report.dataPaid().doubleValue();
    for (EpochReport.Earner r : report.topRecords()) {
      if (data > 0 && r.estimatedWei() / data > settings.recordConcentration()) {
        out.add(new Anomaly(Anomaly.Kind.RECORD_CONCENTRATION, r.id(), String.format(Locale.ROOT, "one record earned %.1f%% of the data rewards (threshold %.0f%%)",
            100 * r.estimatedWei() / data, 100 * settings.recordConcentration()),
            List.of("contributor " + r.contributor() + ", DataNet " + r.label(), "≈ " + report.token().formatApproximate(r.estimatedWei()) + " of "
                + report.token().format(report.dataPaid()) + ", credited by " + r.answers() + " answer(s)", "text: " + r.text())));
      }
    }
    return out;
  }

  /** Records with quarantined copies that earned this epoch (copies from several accounts suggest farming). */
  List<Anomaly> nearDuplicates(EpochReport report) {
    List<Anomaly> out = new ArrayList<>();
    for (EpochReport.DuplicateCluster c : report.duplicateClusters()) {
      if (c.originalEstimatedWei() > 0) {
        out.add(new Anomaly(Anomaly.Kind.NEAR_DUPLICATES, c.original(), String.format(Locale.ROOT, "%d quarantined cop%s of a record that earned ≈ %s",
            c.copies(), c.copies() == 1 ? "y" : "ies", report.token().formatApproximate(c.originalEstimatedWei())),
            List.of("original by " + c.originalContributor(), "copies submitted by " + String.join(", ", c.copiers()))));
      }
    }
    return out;
  }

  /** Answers paid by the fallback rule because no record had positive evidence. */
  List<Anomaly> noEvidence(EpochReport report) {
    if (report.fallbacks().isEmpty()) {
      return List.of();
    }
    BigInteger fees = report.fallbacks().stream().map(EpochReport.Fallback::fee).reduce(BigInteger.ZERO, BigInteger::add);
    List<String> evidence = new ArrayList<>();
    report.fallbacks().stream().limit(settings.top())
        .forEach(f -> evidence.add(f.inferenceId() + " (" + f.model() + ", fee " + report.token().format(f.fee()) + "): " + f.prompt()));
    return List.of(new Anomaly(Anomaly.Kind.NO_EVIDENCE, report.fallbacks().size() + " answers", String.format(Locale.ROOT,
        "%d of %d answers (fees %s) had no positive evidence: a trained model's answer pays its training records' contributors pro rata, "
            + "a bare base model's answer pays its data part to the treasury", report.fallbacks().size(), report.answers(),
        report.token().format(fees)), evidence));
  }

  /** Reasons whose quarantined lines on the epoch's day exceed the factor times their recent mean. */
  List<Anomaly> quarantineSpikes(EpochReport report) {
    List<Anomaly> out = new ArrayList<>();
    for (EpochReport.QuarantineReason q : report.quarantine()) {
      if (q.baselineDays() > 0 && q.lines() >= settings.quarantineSpikeMinLines() && q.lines() > settings.quarantineSpikeFactor() * Math.max(q.baselineMean(), 1)) {
        out.add(new Anomaly(Anomaly.Kind.QUARANTINE_SPIKE, q.reason(), String.format(Locale.ROOT, "%d lines quarantined for %s, against a mean of %.1f a day",
            q.lines(), q.reason(), q.baselineMean()), List.of("baseline: the " + q.baselineDays() + " previous day(s) with quarantined lines, within "
                + settings.baselineDays() + " days")));
      }
    }
    return out;
  }

  private static BigInteger total(Map<String, BigInteger> amounts) {
    return amounts.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
  }

  private static double fraction(BigInteger part, BigInteger whole) {
    return whole.signum() == 0 ? 0 : new BigDecimal(part).divide(new BigDecimal(whole), MathContext.DECIMAL64).doubleValue();
  }
}
