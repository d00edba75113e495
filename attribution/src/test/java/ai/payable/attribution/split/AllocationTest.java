package ai.payable.attribution.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Splits never create or lose a wei, and do not depend on input order. */
class AllocationTest {

  @Test
  void randomSplitsConserveEveryWei() {
    SplittableRandom random = new SplittableRandom(42);
    for (int round = 0; round < 2_000; round++) {
      BigInteger amount = random.nextBoolean() ? BigInteger.valueOf(random.nextLong(0, 1_000)) : new BigInteger(120, new java.util.Random(round));
      Map<String, BigInteger> weights = new LinkedHashMap<>();
      int parties = random.nextInt(1, 12);
      for (int p = 0; p < parties; p++) {
        weights.put("0x" + Integer.toHexString(random.nextInt()), BigInteger.valueOf(random.nextLong(0, 1_000_000)));
      }
      weights.put("0xlast", BigInteger.ONE);
      Map<String, BigInteger> parts = Allocation.split(amount, weights);
      assertEquals(amount, parts.values().stream().reduce(BigInteger.ZERO, BigInteger::add), "round " + round);
      BigInteger total = weights.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
      for (Map.Entry<String, BigInteger> p : parts.entrySet()) {
        BigInteger exactFloor = amount.multiply(weights.get(p.getKey())).divide(total);
        assertTrue(p.getValue().subtract(exactFloor).compareTo(BigInteger.ONE) <= 0 && p.getValue().compareTo(exactFloor) >= 0, "within a wei of exact");
      }
      Map<String, BigInteger> shuffled = new HashMap<>(weights);
      assertEquals(parts, Allocation.split(amount, shuffled), "independent of order");
    }
  }

  @Test
  void feeSplitDefaultsAndRemaindersAreExact() {
    FeeSplit.Parts p = FeeSplit.DEFAULT.split(BigInteger.valueOf(999));
    assertEquals(BigInteger.valueOf(999), p.protocol().add(p.builder()).add(p.data()));
    assertEquals(BigInteger.valueOf(100), p.protocol());
    assertEquals(BigInteger.valueOf(200), p.builder());
    assertEquals(BigInteger.valueOf(699), p.data());
    assertThrows(IllegalArgumentException.class, () -> new FeeSplit(1_000, 2_000, 6_000));
    Map<String, BigInteger> w = Allocation.weights(Map.of("a", 1.0 / 3, "b", 1.0 / 3, "c", 1.0 / 3), 1_000_000_000L);
    assertEquals(BigInteger.valueOf(1_000_000_000L), w.values().stream().reduce(BigInteger.ZERO, BigInteger::add));
  }
}
