package ai.payable.benchmarks.fidelity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** On logistic regression, influence estimates track exact leave-one-out retraining. */
class ConvexCheckTest {

  @Test
  void influenceTracksLeaveOneOut() {
    ConvexCheck.Result r = new ConvexCheck(200, 8, 0.01, 1).run();
    System.out.println("convex check: " + r);
    assertTrue(r.exactPearson() > 0.99, "exact influence vs LOO, Pearson " + r.exactPearson() + " (Koh & Liang report ≈ 0.87 on MNIST-LR)");
    assertTrue(r.exactSpearman() > 0.98, "exact influence vs LOO, Spearman " + r.exactSpearman());
    assertTrue(r.dataInfPearson() > 0.95 && r.dataInfSpearman() > 0.9, "DataInf vs LOO: " + r);
    assertTrue(r.tracInPearson() > 0.9, "TracIn vs LOO: " + r);
  }
}
