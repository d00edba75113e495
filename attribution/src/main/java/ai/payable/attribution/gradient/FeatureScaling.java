package ai.payable.attribution.gradient;

import java.util.Locale;

/**
 * How each module's part of a projected gradient is scaled before it is scored, on the records' side
 * and the answers' side alike.
 *
 * <p>Raw inner products favour records with large gradients (high-loss, short or odd records) and
 * modules whose gradients are large, whatever their direction; LESS (Xia et al. 2024) scores with
 * cosine similarity for that reason. Scaling each module's part to unit length is that cosine taken
 * per module: every module votes by direction. On the SmolLM2 adapters it finds a planted fact's
 * source in the top 10 more often on each of four trainings (DataInf 0.787–0.805 raw, 0.805–0.827
 * scaled; benchmarks/RESULTS.md).
 */
public enum FeatureScaling {
  /** As projected. */
  RAW,
  /** Each module's part scaled to unit length (a module with no gradient stays zero). */
  MODULE_UNIT;

  /** The value of {@code --scaling}: {@code raw}, {@code module-unit}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@link #value()}, naming the choices when {@code text} is none of them. */
  public static FeatureScaling of(String text) {
    for (FeatureScaling s : values()) {
      if (s.value().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown feature scaling '" + text + "'; choose raw or module-unit");
  }

  /**
   * {@code g} scaled ({@code modules × dim} floats, module after module); {@code g} itself for
   * {@link #RAW}. Norms are summed in index order in double precision, so the result has the same
   * bits on any machine.
   */
  public float[] apply(float[] g, int modules, int dim) {
    if (g.length != modules * dim) {
      throw new IllegalArgumentException("a gradient of " + g.length + " features, expected " + modules + " modules × " + dim);
    }
    if (this == RAW) {
      return g;
    }
    float[] out = new float[g.length];
    for (int l = 0; l < modules; l++) {
      double sq = DataInfStatistics.sqNorm(g, l, dim);
      if (sq == 0) {
        continue;
      }
      double norm = Math.sqrt(sq);
      for (int j = l * dim; j < (l + 1) * dim; j++) {
        out[j] = (float) (g[j] / norm);
      }
    }
    return out;
  }

  /** Each row of {@code g} scaled. */
  public float[][] apply(float[][] g, int modules, int dim) {
    float[][] out = new float[g.length][];
    for (int i = 0; i < g.length; i++) {
      out[i] = apply(g[i], modules, dim);
    }
    return out;
  }
}
