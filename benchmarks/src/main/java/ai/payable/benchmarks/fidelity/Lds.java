package ai.payable.benchmarks.fidelity;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The arithmetic of the linear datamodeling score (Park et al. 2023), shared by the checks that
 * retrain models on random subsets: for each answer, the Spearman correlation across subsets between
 * what an attribution predicts (the summed scores of the subset's records) and what retraining
 * measured; then the mean over answers with a bootstrap interval.
 */
final class Lds {

  private Lds() {}

  /**
   * Each answer's LDS.
   *
   * @param scores [answer][record] attribution scores
   * @param member [subset][record] whether the record was in the subset
   * @param outcome [answer][subset] the measured outcome (e.g. minus the answer's loss)
   */
  static double[] perAnswer(double[][] scores, boolean[][] member, double[][] outcome) {
    double[] lds = new double[scores.length];
    for (int q = 0; q < scores.length; q++) {
      double[] predicted = new double[member.length];
      for (int s = 0; s < member.length; s++) {
        for (int i = 0; i < member[s].length; i++) {
          if (member[s][i]) {
            predicted[s] += scores[q][i];
          }
        }
      }
      lds[q] = Correlation.spearman(predicted, outcome[q]);
    }
    return lds;
  }

  /** Seeded Gaussian scores of the same shape: the baseline an attribution must beat (≈ 0). */
  static double[][] random(int answers, int records, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] noise = new double[answers][records];
    for (double[] row : noise) {
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextGaussian();
      }
    }
    return noise;
  }

  static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  /** 95% percentile bootstrap interval of the mean over answers (2,000 resamples, seeded). */
  static double[] interval(double[] v, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] means = new double[2_000];
    for (int b = 0; b < means.length; b++) {
      double sum = 0;
      for (int i = 0; i < v.length; i++) {
        sum += v[r.nextInt(v.length)];
      }
      means[b] = sum / v.length;
    }
    Arrays.sort(means);
    return new double[] {means[49], means[1949]};
  }

  /**
   * Random halves of {@code records} records, seeded.
   *
   * @param picked [subset] the half's record indexes, in the order drawn (the order training sees them)
   * @param member [subset][record] whether the record is in the half
   */
  record Halves(int[][] picked, boolean[][] member) {}

  static Halves halves(int subsets, int records, long seed) {
    SplittableRandom pick = new SplittableRandom(seed);
    int[][] picked = new int[subsets][];
    boolean[][] member = new boolean[subsets][records];
    for (int s = 0; s < subsets; s++) {
      int[] order = java.util.stream.IntStream.range(0, records).toArray();
      for (int i = records - 1; i > 0; i--) {
        int j = pick.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      picked[s] = Arrays.copyOf(order, records / 2);
      for (int i : picked[s]) {
        member[s][i] = true;
      }
    }
    return new Halves(picked, member);
  }
}
