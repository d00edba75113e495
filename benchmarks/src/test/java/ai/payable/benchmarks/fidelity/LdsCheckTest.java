package ai.payable.benchmarks.fidelity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Gradient attribution predicts how answers change when half the records are left out. */
class LdsCheckTest {

  @Test
  void ldsBeatsRandomScores() {
    LdsCheck.Result r = new LdsCheck(40, 8, 50, 11).run();
    System.out.printf("LDS: TracIn %.3f [%.3f, %.3f], DataInf %.3f [%.3f, %.3f], random %.3f%n", r.tracIn(), r.tracInInterval()[0], r.tracInInterval()[1],
        r.dataInf(), r.dataInfInterval()[0], r.dataInfInterval()[1], r.random());
    assertTrue(Math.abs(r.random()) < 0.2, "random scores have no LDS: " + r.random());
    assertTrue(r.dataInfInterval()[0] > 0.1, "DataInf's 95% interval stays above 0.1: " + r);
    assertTrue(r.tracInInterval()[0] > 0, "TracIn's 95% interval stays above 0: " + r);
  }
}
