package ai.payable.attribution.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.payable.training.engine.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The precomputed, matrix-product scores equal the estimators' formulas evaluated directly. */
class InfluenceIndexTest {

  @Test
  void precomputedScoresMatchTheFormulas() {
    int n = 40;
    int modules = 3;
    int dim = 5;
    SplittableRandom r = new SplittableRandom(9);
    float[][] g = new float[n][modules * dim];
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      ids.add("r" + k);
      for (int j = 0; j < g[k].length; j++) {
        g[k][j] = (float) r.nextGaussian();
      }
    }
    float[][] v = new float[2][modules * dim];
    for (float[] q : v) {
      for (int j = 0; j < q.length; j++) {
        q[j] = (float) r.nextGaussian();
      }
    }
    double damping = 0.1;
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        InfluenceIndex tracin = InfluenceIndex.build(ids, g, modules, dim, InfluenceIndex.Estimator.TRACIN, damping, manager);
        InfluenceIndex datainf = InfluenceIndex.build(ids, g, modules, dim, InfluenceIndex.Estimator.DATAINF, damping, manager)) {
      double[][] t = tracin.scores(v);
      double[][] d = datainf.scores(v);
      for (int q = 0; q < v.length; q++) {
        for (int k = 0; k < n; k++) {
          double dot = 0;
          double influence = 0;
          for (int l = 0; l < modules; l++) {
            int off = l * dim;
            double meanSq = 0;
            for (int i = 0; i < n; i++) {
              meanSq += dot(g[i], g[i], off, dim) / n;
            }
            double lambda = damping * meanSq;
            double sum = 0;
            for (int i = 0; i < n; i++) {
              sum += dot(v[q], g[i], off, dim) * dot(g[i], g[k], off, dim) / (lambda + dot(g[i], g[i], off, dim));
            }
            influence += (sum / n - dot(v[q], g[k], off, dim)) / lambda;
            dot += dot(v[q], g[k], off, dim);
          }
          assertEquals(dot, t[q][k], 1e-3 * Math.max(1, Math.abs(dot)), "TracIn " + q + "," + k);
          assertEquals(-influence, d[q][k], 1e-3 * Math.max(1, Math.abs(influence)), "DataInf " + q + "," + k);
        }
      }
      List<List<InfluenceIndex.Scored>> top = datainf.top(v, 3);
      assertEquals(3, top.get(0).size());
      double best = Double.NEGATIVE_INFINITY;
      for (double s : d[0]) {
        best = Math.max(best, s);
      }
      assertEquals(best, top.get(0).get(0).helpfulness(), 1e-6);
    }
  }

  private static double dot(float[] a, float[] b, int off, int dim) {
    double s = 0;
    for (int j = off; j < off + dim; j++) {
      s += (double) a[j] * b[j];
    }
    return s;
  }

  @Test
  void anAnswersScoresDoNotDependOnTheAnswersScoredWithIt() {
    int n = 300;
    int width = 64;
    SplittableRandom r = new SplittableRandom(5);
    float[][] g = new float[n][width];
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      ids.add("r" + k);
      for (int j = 0; j < width; j++) {
        g[k][j] = (float) r.nextGaussian();
      }
    }
    float[][] v = new float[InfluenceIndex.BLOCK + 7][width];
    for (float[] q : v) {
      for (int j = 0; j < width; j++) {
        q[j] = (float) r.nextGaussian();
      }
    }
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        InfluenceIndex index = InfluenceIndex.build(ids, g, 4, 16, InfluenceIndex.Estimator.DATAINF, 0.1, manager)) {
      List<List<InfluenceIndex.Scored>> together = index.top(v, 10);
      assertEquals(v.length, together.size());
      // Alone, in the first block and in the padded last one: bit for bit the same scores.
      for (int q : new int[] {0, 3, InfluenceIndex.BLOCK + 2}) {
        assertEquals(together.get(q), index.top(new float[][] {v[q]}, 10).get(0), "answer " + q);
        assertEquals(java.util.Arrays.toString(index.scores(v)[q]), java.util.Arrays.toString(index.scores(new float[][] {v[q]})[0]));
      }
    }
  }
}
