package ai.payable.training.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingWarningsTest {

  private static List<Float> falling(int steps) {
    List<Float> losses = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      losses.add(3f - 2f * i / steps);
    }
    return losses;
  }

  @Test
  void aHealthyRunHasNoWarning() {
    assertEquals(List.of(), TrainingWarnings.of(48, 5, falling(12)));
  }

  @Test
  void fiveRecordsAndTwoStepsWithNothingHeldOutSayWhatToChange() {
    List<String> w = TrainingWarnings.of(5, 0, falling(2));
    assertEquals(3, w.size(), w.toString());
    assertTrue(w.get(0).startsWith("only 5 training records"), w.get(0));
    assertTrue(w.get(1).startsWith("only 2 optimizer steps") && w.get(1).contains("raise epochs"), w.get(1));
    assertTrue(w.get(2).startsWith("no record was held out") && w.get(2).contains("heldout_fraction"), w.get(2));
  }

  @Test
  void aLossThatDoesNotFallIsNamedWithItsFigures() {
    List<Float> rising = falling(20);
    Collections.reverse(rising);
    List<String> w = TrainingWarnings.of(100, 10, rising);
    assertEquals(1, w.size(), w.toString());
    assertTrue(w.get(0).startsWith("the training loss did not fall (1.150 over the first tenth of the steps, 2.950 over the last)"), w.get(0));
    List<Float> diverged = falling(20);
    diverged.set(19, Float.NaN);
    diverged.set(18, Float.NaN);
    assertTrue(TrainingWarnings.of(100, 10, diverged).get(0).contains("NaN over the last"), "a NaN loss is a loss that did not fall");
  }
}
