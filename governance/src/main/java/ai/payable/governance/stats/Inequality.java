package ai.payable.governance.stats;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** How unequally rewards are spread: the Lorenz curve and the Gini coefficient. */
public final class Inequality {

  private Inequality() {}

  /** A point of the Lorenz curve: the poorest {@code population} fraction holds {@code share} of the total. */
  public record Point(double population, double share) {}

  /**
   * The Gini coefficient of non-negative amounts: 0 when all are equal, approaching 1 when one holds
   * everything. Computed exactly on the sorted amounts, G = Σ(2i − n − 1)·xᵢ / (n·Σx) with i from 1.
   */
  public static double gini(Collection<BigInteger> amounts) {
    List<BigInteger> sorted = sorted(amounts);
    int n = sorted.size();
    BigInteger total = sorted.stream().reduce(BigInteger.ZERO, BigInteger::add);
    if (n == 0 || total.signum() == 0) {
      return 0.0;
    }
    BigInteger weighted = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      weighted = weighted.add(sorted.get(i).multiply(BigInteger.valueOf(2L * (i + 1) - n - 1)));
    }
    return new java.math.BigDecimal(weighted).divide(new java.math.BigDecimal(total.multiply(BigInteger.valueOf(n))), java.math.MathContext.DECIMAL64)
        .doubleValue();
  }

  /** The Lorenz curve from (0, 0) to (1, 1), one point per amount in ascending order. */
  public static List<Point> lorenz(Collection<BigInteger> amounts) {
    List<BigInteger> sorted = sorted(amounts);
    BigInteger total = sorted.stream().reduce(BigInteger.ZERO, BigInteger::add);
    List<Point> points = new ArrayList<>();
    points.add(new Point(0, 0));
    BigInteger running = BigInteger.ZERO;
    for (int i = 0; i < sorted.size(); i++) {
      running = running.add(sorted.get(i));
      double share = total.signum() == 0 ? (i + 1.0) / sorted.size() : new java.math.BigDecimal(running)
          .divide(new java.math.BigDecimal(total), java.math.MathContext.DECIMAL64).doubleValue();
      points.add(new Point((i + 1.0) / sorted.size(), share));
    }
    return points;
  }

  private static List<BigInteger> sorted(Collection<BigInteger> amounts) {
    for (BigInteger a : amounts) {
      if (a.signum() < 0) {
        throw new IllegalArgumentException("amounts must be non-negative, got " + a);
      }
    }
    return amounts.stream().sorted().toList();
  }
}
