package ai.payable.governance.anomaly;

import java.util.List;
import java.util.Optional;

/**
 * One anomaly check as it ran on an epoch: its threshold, what it flagged, or why it could not run.
 * The report lists every check, so "no anomaly" reads as "these checks ran and found nothing".
 *
 * @param threshold the check's setting in words, e.g. {@code share grew more than ×3.0 (shares ≥ 1%)}
 * @param skipped why the check did not run (e.g. no previous epoch to compare with)
 */
public record CheckResult(Anomaly.Kind kind, String threshold, List<Anomaly> found, Optional<String> skipped) {

  static CheckResult ran(Anomaly.Kind kind, String threshold, List<Anomaly> found) {
    return new CheckResult(kind, threshold, List.copyOf(found), Optional.empty());
  }

  static CheckResult skipped(Anomaly.Kind kind, String threshold, String why) {
    return new CheckResult(kind, threshold, List.of(), Optional.of(why));
  }
}
