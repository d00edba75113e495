package ai.payable.attribution.audit;

import ai.payable.attribution.gradient.DataInfStatistics;
import java.util.List;

/**
 * DataInf's self-influence of each training record of an adapter (Kwon et al. 2024):
 * {@code I(k,k) = Σ_l (‖g_{l,k}‖² − g_{l,k}ᵀ M_l g_{l,k}) / λ_l}, with λ_l and M_l taken over the
 * adapter's training records exactly as attribution takes them ({@link DataInfStatistics}). A
 * record the other records explain shares its gradient with them and scores low; a record that must
 * be learned on its own (a question paired with another's answer, scrambled words) scores high.
 *
 * <p>The statistics are exact sums, so a record's value does not depend on the order of the records.
 */
public final class SelfInfluence {

  private SelfInfluence() {}

  /**
   * Self-influence of each record, in the order given.
   *
   * @param features projected gradients, {@code modules × dim} floats each, module after module
   * @param damping λ_l as a multiple of module l's mean squared gradient norm
   */
  public static double[] of(List<float[]> features, int modules, int dim, double damping) {
    if (features.isEmpty()) {
      return new double[0];
    }
    DataInfStatistics.Preconditioner preconditioner = DataInfStatistics.preconditioner(features, modules, dim, damping);
    double[] self = new double[features.size()];
    for (int k = 0; k < self.length; k++) {
      float[] g = features.get(k);
      double[] h = preconditioner.helpfulness(g);
      double s = 0;
      for (int j = 0; j < g.length; j++) {
        s += g[j] * h[j];
      }
      self[k] = s;
    }
    return self;
  }
}
