package ai.payable.training.infer;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Drawing a token from logits: softmax at a temperature, restricted to the top-p nucleus (as transformers' {@code TopPLogitsWarper}). */
final class Sampling {

  private Sampling() {}

  /**
   * A token drawn from {@code softmax(logits / temperature)} over the smallest set of likeliest
   * tokens whose probabilities sum to at least {@code topP}.
   */
  static int sample(float[] logits, float temperature, float topP, SplittableRandom random) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp((logits[i] - max) / temperature);
      sum += p[i];
    }
    double cutoff = 0;
    if (topP < 1f) {
      double[] sorted = p.clone();
      Arrays.sort(sorted);
      double kept = 0;
      for (int i = sorted.length - 1; i >= 0; i--) {
        kept += sorted[i];
        if (kept >= topP * sum) {
          cutoff = sorted[i];
          break;
        }
      }
    }
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] < cutoff) {
        p[i] = 0;
      }
      total += p[i];
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < p.length; i++) {
      u -= p[i];
      if (u <= 0 && p[i] > 0) {
        return i;
      }
    }
    for (int i = p.length - 1; i >= 0; i--) {
      if (p[i] > 0) {
        return i;
      }
    }
    return 0;
  }
}
