package ai.payable.attribution.gradient;

import java.io.Serializable;
import java.util.List;

/**
 * What DataInf needs to know of all of an adapter's training gradients before it can score any of
 * them, gathered in three mergeable passes (so Spark can run each over partitions of
 * {@code gradient_features} and merge the partials) whose results do not depend on how records are
 * partitioned or merged:
 *
 * <ol>
 *   <li>{@link Scale}: the number of records and each module's largest squared norm (a maximum is
 *       order-free);
 *   <li>{@link Damping}: each module's mean squared norm, as an {@link ExactSums exact sum} of norms
 *       divided by that largest one; λ_l is {@code damping} times it;
 *   <li>{@link Curvature}: {@code M_l = (1/n) Σ_i g_{l,i} g_{l,i}ᵀ / (λ_l + ‖g_{l,i}‖²)}, whose terms lie
 *       in [−1, 1] by Cauchy–Schwarz, as exact sums.
 * </ol>
 *
 * The result, a {@link Preconditioner}, turns a record's gradient into the vector an answer's query
 * gradient is dotted with.
 */
public final class DataInfStatistics {

  private DataInfStatistics() {}

  /**
   * The three passes over records held in memory (one adapter's features in one process); the
   * nightly job runs the same passes as Spark aggregates.
   *
   * @param damping λ_l as a multiple of module l's mean squared gradient norm
   */
  public static Preconditioner preconditioner(List<float[]> features, int modules, int dim, double damping) {
    Scale scale = new Scale(modules, dim);
    features.forEach(scale::add);
    Damping sums = new Damping(scale);
    features.forEach(sums::add);
    Curvature curvature = new Curvature(scale, sums.lambdas(damping));
    features.forEach(curvature::add);
    return curvature.preconditioner();
  }

  /** Squared norm of module {@code l}'s slice of {@code g}, summed in index order. */
  static double sqNorm(float[] g, int l, int dim) {
    double s = 0;
    for (int j = l * dim; j < (l + 1) * dim; j++) {
      s += (double) g[j] * g[j];
    }
    return s;
  }

  /** Pass 1: record count and each module's largest squared norm. */
  public static final class Scale implements Serializable {
    private static final long serialVersionUID = 1L;
    final int modules;
    final int dim;
    long n;
    final double[] maxSq;

    public Scale(int modules, int dim) {
      this.modules = modules;
      this.dim = dim;
      this.maxSq = new double[modules];
    }

    public Scale add(float[] g) {
      check(g, modules, dim);
      n++;
      for (int l = 0; l < modules; l++) {
        maxSq[l] = Math.max(maxSq[l], sqNorm(g, l, dim));
      }
      return this;
    }

    public Scale merge(Scale other) {
      n += other.n;
      for (int l = 0; l < modules; l++) {
        maxSq[l] = Math.max(maxSq[l], other.maxSq[l]);
      }
      return this;
    }

    /** The number of records seen. */
    public long records() {
      return n;
    }
  }

  /** Pass 2: each module's exact sum of squared norms (relative to the largest). */
  public static final class Damping implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Scale scale;
    private final long[] sums;

    public Damping(Scale scale) {
      if (scale.n > ExactSums.MAX_TERMS) {
        throw new IllegalArgumentException(scale.n + " training records for one adapter; exact DataInf sums hold at most " + ExactSums.MAX_TERMS);
      }
      this.scale = scale;
      this.sums = new long[scale.modules];
    }

    public Damping add(float[] g) {
      check(g, scale.modules, scale.dim);
      for (int l = 0; l < scale.modules; l++) {
        if (scale.maxSq[l] > 0) {
          sums[l] += ExactSums.fixed(sqNorm(g, l, scale.dim) / scale.maxSq[l]);
        }
      }
      return this;
    }

    public Damping merge(Damping other) {
      for (int l = 0; l < sums.length; l++) {
        sums[l] += other.sums[l];
      }
      return this;
    }

    /** λ_l = {@code damping} × module l's mean squared norm (at least 10⁻¹²). */
    public double[] lambdas(double damping) {
      double[] lambda = new double[sums.length];
      for (int l = 0; l < sums.length; l++) {
        double mean = ExactSums.value(sums[l]) * scale.maxSq[l] / scale.n;
        lambda[l] = Math.max(damping * mean, 1e-12);
      }
      return lambda;
    }
  }

  /** Pass 3: each module's M_l, upper triangle, as exact sums. */
  public static final class Curvature implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Scale scale;
    private final double[] lambda;
    private final long[][] sums; // [module][upper-triangle index]

    public Curvature(Scale scale, double[] lambda) {
      this.scale = scale;
      this.lambda = lambda.clone();
      this.sums = new long[scale.modules][scale.dim * (scale.dim + 1) / 2];
    }

    public Curvature add(float[] g) {
      check(g, scale.modules, scale.dim);
      int dim = scale.dim;
      for (int l = 0; l < scale.modules; l++) {
        double weight = 1 / (lambda[l] + sqNorm(g, l, dim));
        int off = l * dim;
        int t = 0;
        for (int a = 0; a < dim; a++) {
          for (int b = a; b < dim; b++) {
            // |g_a g_b| ≤ ‖g‖² < λ + ‖g‖², so the term lies in (−1, 1).
            sums[l][t++] += ExactSums.fixed((double) g[off + a] * g[off + b] * weight);
          }
        }
      }
      return this;
    }

    public Curvature merge(Curvature other) {
      for (int l = 0; l < sums.length; l++) {
        for (int t = 0; t < sums[l].length; t++) {
          sums[l][t] += other.sums[l][t];
        }
      }
      return this;
    }

    /** The finished preconditioner. */
    public Preconditioner preconditioner() {
      int dim = scale.dim;
      double[][] m = new double[scale.modules][dim * dim];
      for (int l = 0; l < scale.modules; l++) {
        int t = 0;
        for (int a = 0; a < dim; a++) {
          for (int b = a; b < dim; b++) {
            double v = ExactSums.value(sums[l][t++]) / scale.n;
            m[l][a * dim + b] = v;
            m[l][b * dim + a] = v;
          }
        }
      }
      return new Preconditioner(scale.modules, dim, lambda.clone(), m);
    }
  }

  /**
   * DataInf's per-record transform: helpfulness of record k for an answer with query gradient v is
   * {@code v·h_k}, {@code h_{l,k} = (g_{l,k} − M_l g_{l,k}) / λ_l} (DataInf's influence, negated so
   * that positive means the record helped).
   */
  public record Preconditioner(int modules, int dim, double[] lambda, double[][] m) implements Serializable {

    /** Record k's helpfulness vector, computed in a fixed order (the same bits on any machine). */
    public double[] helpfulness(float[] g) {
      check(g, modules, dim);
      double[] h = new double[modules * dim];
      for (int l = 0; l < modules; l++) {
        int off = l * dim;
        for (int a = 0; a < dim; a++) {
          double mg = 0;
          for (int b = 0; b < dim; b++) {
            mg += m[l][a * dim + b] * g[off + b];
          }
          h[off + a] = (g[off + a] - mg) / lambda[l];
        }
      }
      return h;
    }
  }

  private static void check(float[] g, int modules, int dim) {
    if (g.length != modules * dim) {
      throw new IllegalArgumentException("a gradient of " + g.length + " features, expected " + modules + " modules × " + dim);
    }
  }
}
