package ai.payable.governance.stats;

/** The Gini coefficient by its mean-absolute-difference definition, G = ΣᵢΣⱼ|xᵢ − xⱼ| / (2n²·mean): an independent check for tests. */
public final class GiniDefinition {

  private GiniDefinition() {}

  public static double of(long... values) {
    double sum = 0;
    double total = 0;
    for (long a : values) {
      total += a;
      for (long b : values) {
        sum += Math.abs(a - b);
      }
    }
    return sum / (2.0 * values.length * total);
  }
}
