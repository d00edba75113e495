package ai.payable.attribution.audit;

import java.util.Arrays;

/**
 * Which self-influence values stand out: the modified z-score of Iglewicz and Hoaglin (1993),
 * {@code z = 0.6745 (x − median) / MAD}, on the logarithm of self-influence (its spread is
 * multiplicative: a record learned on its own scores several times its peers, not a fixed amount
 * more). Median and MAD are robust: the outliers themselves do not move the yardstick, even when one
 * record in eight is bad. Iglewicz and Hoaglin's threshold is 3.5.
 *
 * @param threshold the z-score from which a record is flagged
 */
public record OutlierRule(double threshold) {

  /** Iglewicz and Hoaglin's recommended threshold. */
  public static final double DEFAULT_THRESHOLD = 3.5;

  /** The consistency constant that makes MAD estimate σ for normal data (Φ⁻¹(3/4)). */
  private static final double NORMAL_MAD = 0.6745;

  public OutlierRule {
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("outlier threshold must be a positive z-score, e.g. " + DEFAULT_THRESHOLD + "; got " + threshold);
    }
  }

  /** The rule with {@link #DEFAULT_THRESHOLD}. */
  public static OutlierRule standard() {
    return new OutlierRule(DEFAULT_THRESHOLD);
  }

  /**
   * The modified z-score of each value's logarithm; values at or below zero (none, for DataInf's
   * self-influence) are scored as the smallest positive value present.
   */
  public double[] scores(double[] values) {
    if (values.length == 0) {
      return new double[0];
    }
    double floor = Arrays.stream(values).filter(v -> v > 0).min().orElse(1);
    double[] logs = Arrays.stream(values).map(v -> Math.log(Math.max(v, floor))).toArray();
    double median = median(logs);
    double mad = median(Arrays.stream(logs).map(v -> Math.abs(v - median)).toArray());
    double[] z = new double[values.length];
    if (mad == 0) {
      // More than half the values are equal: nothing stands out from a spread of zero.
      return z;
    }
    for (int i = 0; i < z.length; i++) {
      z[i] = NORMAL_MAD * (logs[i] - median) / mad;
    }
    return z;
  }

  /** Whether a record with this z-score is flagged for review. */
  public boolean flags(double score) {
    return score >= threshold;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
