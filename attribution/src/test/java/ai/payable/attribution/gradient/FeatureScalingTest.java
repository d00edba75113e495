package ai.payable.attribution.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Module-unit scaling gives each module's part unit length, leaves a module without gradient at zero, and names the choices on a typo. */
class FeatureScalingTest {

  @Test
  void scalesEachModuleToUnitLength() {
    float[] g = {3, 4, 0, 0, 1, 1};
    float[] unit = FeatureScaling.MODULE_UNIT.apply(g, 3, 2);
    assertArrayEquals(new float[] {0.6f, 0.8f, 0, 0, (float) Math.sqrt(0.5), (float) Math.sqrt(0.5)}, unit, 1e-7f);
    assertArrayEquals(new float[] {3, 4, 0, 0, 1, 1}, g, 0f, "the input is left as it was");
    assertSame(g, FeatureScaling.RAW.apply(g, 3, 2));
  }

  @Test
  void parsesItsValuesAndRejectsOthers() {
    for (FeatureScaling s : FeatureScaling.values()) {
      assertEquals(s, FeatureScaling.of(s.value()));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureScaling.of("unit"));
    assertTrue(e.getMessage().contains("raw or module-unit"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FeatureScaling.MODULE_UNIT.apply(new float[5], 3, 2));
    assertTrue(e.getMessage().contains("expected 3 modules × 2"), e.getMessage());
  }
}
