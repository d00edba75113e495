package ai.payable.governance.report;

/**
 * Thresholds of the anomaly checks.
 *
 * @param shareJumpFactor flag a contributor whose share of the data rewards grew more than this factor
 * @param minShare shares below this (of the data rewards) are too small to flag a jump
 * @param recordConcentration flag a single record that earned more than this fraction of the data rewards
 * @param quarantineSpikeFactor flag a reason whose quarantined lines on the epoch's day exceed this
 *     factor times its mean over the previous days
 * @param quarantineSpikeMinLines ignore spikes of fewer lines than this
 * @param baselineDays how many previous days the quarantine baseline covers
 * @param top how many contributors, records and movers to list
 */
public record ReportSettings(
    double shareJumpFactor, double minShare, double recordConcentration, double quarantineSpikeFactor, long quarantineSpikeMinLines,
    int baselineDays, int top) {

  /** The defaults: a 3× share jump above 1%, one record above 25%, a 3× quarantine spike of ≥ 5 lines over 7 days, top 10. */
  public static final ReportSettings DEFAULT = new ReportSettings(3.0, 0.01, 0.25, 3.0, 5, 7, 10);

  public ReportSettings {
    if (shareJumpFactor <= 1 || quarantineSpikeFactor <= 1) {
      throw new IllegalArgumentException("jump and spike factors must be above 1, got " + shareJumpFactor + " and " + quarantineSpikeFactor);
    }
    if (recordConcentration <= 0 || recordConcentration > 1 || minShare < 0 || minShare >= 1) {
      throw new IllegalArgumentException("record concentration must be in (0, 1] and min share in [0, 1), got " + recordConcentration + " and " + minShare);
    }
    if (baselineDays < 1 || top < 1) {
      throw new IllegalArgumentException("baseline days and top must be positive, got " + baselineDays + " and " + top);
    }
  }
}
