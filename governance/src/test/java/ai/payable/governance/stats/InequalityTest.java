package ai.payable.governance.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class InequalityTest {

  private static List<BigInteger> wei(long... v) {
    return java.util.Arrays.stream(v).mapToObj(BigInteger::valueOf).toList();
  }

  @Test
  void giniMatchesTheDefinition() {
    assertEquals(0.0, Inequality.gini(wei(5, 5, 5, 5)), 1e-12);
    assertEquals(0.75, Inequality.gini(wei(0, 0, 0, 100)), 1e-12, "one of four holds everything: (n−1)/n");
    assertEquals(GiniDefinition.of(2100, 700, 350, 350), Inequality.gini(wei(350, 2100, 350, 700)), 1e-12);
    assertEquals(GiniDefinition.of(1, 2, 3, 50, 7, 7), Inequality.gini(wei(1, 2, 3, 50, 7, 7)), 1e-12);
    assertEquals(0.0, Inequality.gini(wei()), 0.0);
    assertThrows(IllegalArgumentException.class, () -> Inequality.gini(wei(1, -1)));
  }

  @Test
  void lorenzRunsFromZeroToOnePoorestFirst() {
    List<Inequality.Point> curve = Inequality.lorenz(wei(300, 100, 600));
    assertEquals(List.of(new Inequality.Point(0, 0), new Inequality.Point(1 / 3.0, 0.1), new Inequality.Point(2 / 3.0, 0.4), new Inequality.Point(1, 1)), curve);
  }
}
