package ai.payable.benchmarks.fidelity;

import java.util.SplittableRandom;

/**
 * The convex sanity check of influence estimates (Koh &amp; Liang 2017): L2-regularised logistic
 * regression, where exact leave-one-out retraining is cheap. For a test point, each training
 * point's true effect (the test loss after retraining without it, minus the test loss with it) is
 * compared with three estimates computed from the full model only:
 *
 * <ul>
 *   <li>the exact influence function, {@code (1/n) ∇L_testᵀ H⁻¹ ∇ℓ_k};
 *   <li>DataInf's closed-form inverse (one "layer"), as the nightly job uses it;
 *   <li>TracIn's gradient dot product, {@code (1/n) ∇L_test · ∇ℓ_k}.
 * </ul>
 *
 * Each estimate predicts the LOO change: positive when removing k raises the test loss (k helped).
 */
public final class ConvexCheck {

  /** Correlations of each estimate with the true leave-one-out changes. */
  public record Result(int n, double exactPearson, double exactSpearman, double dataInfPearson, double dataInfSpearman, double tracInPearson,
      double tracInSpearman) {}

  private final int n;
  private final int d;
  private final double lambda;
  private final double[][] x;
  private final double[] y;
  private final double[] xTest;
  private final double yTest;

  /** A seeded synthetic problem: {@code n} points in {@code d} dimensions, labels from a noisy linear rule. */
  public ConvexCheck(int n, int d, double lambda, long seed) {
    this.n = n;
    this.d = d;
    this.lambda = lambda;
    SplittableRandom r = new SplittableRandom(seed);
    double[] truth = new double[d];
    for (int j = 0; j < d; j++) {
      truth[j] = r.nextGaussian();
    }
    x = new double[n][d];
    y = new double[n];
    for (int i = 0; i < n; i++) {
      double z = 0;
      for (int j = 0; j < d; j++) {
        x[i][j] = r.nextGaussian();
        z += truth[j] * x[i][j];
      }
      y[i] = r.nextDouble() < sigmoid(z + 0.5 * r.nextGaussian()) ? 1 : 0;
    }
    xTest = new double[d];
    double z = 0;
    for (int j = 0; j < d; j++) {
      xTest[j] = r.nextGaussian();
      z += truth[j] * xTest[j];
    }
    yTest = z > 0 ? 0 : 1; // a hard test point: its label disagrees with the rule, so influences are large
  }

  /** Runs the check. */
  public Result run() {
    double[] theta = fit(-1);
    double base = loss(theta, xTest, yTest);
    double[] gTest = gradient(theta, xTest, yTest);
    double[][] hInv = invert(hessian(theta, -1));
    double[] hInvG = multiply(hInv, gTest);
    double[][] g = new double[n][];
    double meanSq = 0;
    for (int k = 0; k < n; k++) {
      g[k] = gradient(theta, x[k], y[k]);
      meanSq += dot(g[k], g[k]) / n;
    }
    // DataInf's Sherman–Morrison-style approximation of (G + λI)⁻¹ with its damping λ_DI.
    double lambdaDi = 0.1 * meanSq;
    double[] loo = new double[n];
    double[] exact = new double[n];
    double[] dataInf = new double[n];
    double[] tracIn = new double[n];
    for (int k = 0; k < n; k++) {
      loo[k] = loss(fit(k), xTest, yTest) - base;
      exact[k] = dot(hInvG, g[k]) / n;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += dot(gTest, g[i]) * dot(g[i], g[k]) / (lambdaDi + dot(g[i], g[i]));
      }
      dataInf[k] = -(sum / n - dot(gTest, g[k])) / lambdaDi / n;
      tracIn[k] = dot(gTest, g[k]) / n;
    }
    // Removing a point that pulls the model toward the test label raises the test loss; all three
    // estimates are ∝ −(effect of upweighting), i.e. they predict loo directly.
    return new Result(n, Correlation.pearson(exact, loo), Correlation.spearman(exact, loo), Correlation.pearson(dataInf, loo),
        Correlation.spearman(dataInf, loo), Correlation.pearson(tracIn, loo), Correlation.spearman(tracIn, loo));
  }

  /** Newton's method on (1/n') Σ ℓ_i + (λ/2)‖θ‖², leaving out point {@code skip} (or none when −1). */
  private double[] fit(int skip) {
    double[] theta = new double[d];
    for (int iteration = 0; iteration < 50; iteration++) {
      double[] grad = new double[d];
      int count = skip < 0 ? n : n - 1;
      for (int i = 0; i < n; i++) {
        if (i == skip) {
          continue;
        }
        double[] gi = gradient(theta, x[i], y[i]);
        for (int j = 0; j < d; j++) {
          grad[j] += gi[j] / count;
        }
      }
      for (int j = 0; j < d; j++) {
        grad[j] += lambda * theta[j];
      }
      double[] step = multiply(invert(hessian(theta, skip)), grad);
      double norm = 0;
      for (int j = 0; j < d; j++) {
        theta[j] -= step[j];
        norm += step[j] * step[j];
      }
      if (norm < 1e-26) {
        break;
      }
    }
    return theta;
  }

  private double[][] hessian(double[] theta, int skip) {
    double[][] h = new double[d][d];
    int count = skip < 0 ? n : n - 1;
    for (int i = 0; i < n; i++) {
      if (i == skip) {
        continue;
      }
      double p = sigmoid(dot(theta, x[i]));
      double w = p * (1 - p) / count;
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          h[a][b] += w * x[i][a] * x[i][b];
        }
      }
    }
    for (int a = 0; a < d; a++) {
      h[a][a] += lambda;
    }
    return h;
  }

  private static double loss(double[] theta, double[] xi, double yi) {
    double p = sigmoid(dot(theta, xi));
    return -(yi * Math.log(p) + (1 - yi) * Math.log(1 - p));
  }

  private static double[] gradient(double[] theta, double[] xi, double yi) {
    double p = sigmoid(dot(theta, xi));
    double[] g = new double[xi.length];
    for (int j = 0; j < xi.length; j++) {
      g[j] = (p - yi) * xi[j];
    }
    return g;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] multiply(double[][] m, double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = dot(m[i], v);
    }
    return out;
  }

  /** Gauss–Jordan inversion of a small symmetric positive-definite matrix. */
  private static double[][] invert(double[][] m) {
    int k = m.length;
    double[][] a = new double[k][2 * k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(m[i], 0, a[i], 0, k);
      a[i][k + i] = 1;
    }
    for (int c = 0; c < k; c++) {
      int pivot = c;
      for (int r = c + 1; r < k; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] t = a[c];
      a[c] = a[pivot];
      a[pivot] = t;
      double p = a[c][c];
      for (int j = 0; j < 2 * k; j++) {
        a[c][j] /= p;
      }
      for (int r = 0; r < k; r++) {
        if (r != c && a[r][c] != 0) {
          double f = a[r][c];
          for (int j = 0; j < 2 * k; j++) {
            a[r][j] -= f * a[c][j];
          }
        }
      }
    }
    double[][] inv = new double[k][k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(a[i], k, inv[i], 0, k);
    }
    return inv;
  }
}
