package ai.payable.attribution.gradient;

/**
 * Sums that give the same bits whatever order their terms arrive in: each term, known to lie in
 * [−1, 1], is rounded to a multiple of 2⁻³⁶ and added as a {@code long}. Integer addition is
 * associative, so a sum over records split across any number of Spark partitions, merged in any
 * order, on any CPU, is exactly the same number. Up to 2²⁶ terms fit without overflow.
 */
final class ExactSums {

  /** The grid: 2³⁶ steps per unit. */
  static final double ONE = 0x1p36;

  /** Most terms one sum may hold. */
  static final long MAX_TERMS = 1L << 26;

  private ExactSums() {}

  /** {@code term} ∈ [−1, 1] on the grid. */
  static long fixed(double term) {
    if (!(Math.abs(term) <= 1.0)) {
      throw new IllegalArgumentException("an exact-sum term must lie in [-1, 1], got " + term);
    }
    return Math.round(term * ONE);
  }

  /** A fixed-point sum back as a double. */
  static double value(long sum) {
    return sum / ONE;
  }
}
