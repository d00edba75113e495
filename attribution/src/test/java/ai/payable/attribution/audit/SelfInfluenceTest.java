package ai.payable.attribution.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.training.engine.Engines;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Self-influence is DataInf's own score of a record against itself, picks out the record its peers
 * do not explain, and does not depend on the records' order; the outlier rule flags it alone.
 */
class SelfInfluenceTest {

  private static final int MODULES = 3;
  private static final int DIM = 6;

  /** 40 records whose gradients lie near two shared directions per module, and record 17 pointing elsewhere. */
  private static List<float[]> records() {
    SplittableRandom r = new SplittableRandom(5);
    float[][] shared = new float[2][MODULES * DIM];
    for (float[] s : shared) {
      for (int j = 0; j < s.length; j++) {
        s[j] = (float) r.nextGaussian();
      }
    }
    List<float[]> g = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      float[] v = new float[MODULES * DIM];
      double a = 1 + r.nextDouble();
      double b = r.nextGaussian();
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) (k == 17 ? 2.5 * r.nextGaussian() : a * shared[0][j] + b * shared[1][j] + 0.1 * r.nextGaussian());
      }
      g.add(v);
    }
    return g;
  }

  @Test
  void equalsDataInfsScoreOfARecordAgainstItself() {
    List<float[]> g = records();
    double[] self = SelfInfluence.of(g, MODULES, DIM, 0.1);
    List<String> ids = IntStream.range(0, g.size()).mapToObj(i -> "r" + i).toList();
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        InfluenceIndex datainf = InfluenceIndex.build(ids, g.toArray(float[][]::new), MODULES, DIM, InfluenceIndex.Estimator.DATAINF, 0.1, manager)) {
      double[][] scores = datainf.scores(g.toArray(float[][]::new));
      for (int k = 0; k < g.size(); k++) {
        assertEquals(scores[k][k], self[k], 1e-6 * Math.abs(self[k]), "record " + k);
        assertTrue(self[k] > 0, "self-influence is positive: record " + k + " has " + self[k]);
      }
    }
  }

  @Test
  void theRecordItsPeersDoNotExplainStandsOutAndIsFlaggedAlone() {
    double[] self = SelfInfluence.of(records(), MODULES, DIM, 0.1);
    double[] z = OutlierRule.standard().scores(self);
    for (int k = 0; k < z.length; k++) {
      assertEquals(k == 17, OutlierRule.standard().flags(z[k]), "record " + k + ": self-influence " + self[k] + ", z " + z[k]);
    }
  }

  @Test
  void doesNotDependOnTheOrderOfRecords() {
    List<float[]> g = records();
    double[] self = SelfInfluence.of(g, MODULES, DIM, 0.1);
    List<Integer> order = new ArrayList<>(IntStream.range(0, g.size()).boxed().toList());
    Collections.shuffle(order, new java.util.Random(3));
    double[] shuffled = SelfInfluence.of(order.stream().map(g::get).toList(), MODULES, DIM, 0.1);
    double[] back = new double[self.length];
    for (int i = 0; i < order.size(); i++) {
      back[order.get(i)] = shuffled[i];
    }
    assertArrayEquals(self, back, 0.0, "the same bits in any order");
  }

  @Test
  void outlierRuleIsRobustAndSaysWhatAThresholdMustBe() {
    // Half the values equal: no spread to measure against, nothing flagged.
    assertArrayEquals(new double[] {0, 0, 0, 0}, new OutlierRule(3.5).scores(new double[] {2, 2, 2, 9}), 0.0);
    // One in eight far off does not move the yardstick of the others.
    double[] values = {1.0, 1.1, 0.9, 1.2, 0.8, 1.05, 0.95, 40.0};
    double[] z = OutlierRule.standard().scores(values);
    assertTrue(z[7] > 10, "the outlier's z: " + z[7]);
    for (int i = 0; i < 7; i++) {
      assertTrue(Math.abs(z[i]) < 2, "value " + values[i] + " has z " + z[i]);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OutlierRule(0));
    assertTrue(e.getMessage().contains("positive z-score"), e.getMessage());
  }
}
