package ai.payable.training.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Temperature and top-p draw from the nucleus only, in proportion, reproducibly. */
class SamplingTest {

  @Test
  void drawsFromTheNucleusInProportion() {
    // Probabilities 0.5, 0.3, 0.15, 0.05 at temperature 1.
    float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
    int[] counts = new int[4];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      counts[Sampling.sample(logits, 1f, 0.75f, random)]++;
    }
    assertEquals(0, counts[2] + counts[3], "top-p 0.75 keeps the two likeliest tokens (0.5 + 0.3)");
    assertEquals(0.5 / 0.8, counts[0] / 20_000.0, 0.015, "renormalised over the nucleus");
    int[] all = new int[4];
    for (int i = 0; i < 20_000; i++) {
      all[Sampling.sample(logits, 1f, 1f, random)]++;
    }
    assertEquals(0.05, all[3] / 20_000.0, 0.008, "top-p 1 keeps every token");
    int[] cold = new int[4];
    for (int i = 0; i < 2_000; i++) {
      cold[Sampling.sample(logits, 0.05f, 1f, random)]++;
    }
    assertTrue(cold[0] > 1_990, "a low temperature is nearly greedy: " + java.util.Arrays.toString(cold));
    assertEquals(Sampling.sample(logits, 1f, 0.9f, new SplittableRandom(9)), Sampling.sample(logits, 1f, 0.9f, new SplittableRandom(9)));
  }
}
