package ai.payable.attribution.gradient;

import java.io.Serializable;

/**
 * A vector rounded to integers at a scale of its own: {@code x ≈ scale · values}, each value an
 * integer of at most {@link #bits(int)} bits held in a double. Any dot product of two such vectors
 * of the same width has integer partial sums below 2⁵³, so a double matrix product computes it
 * exactly, in whatever order a BLAS kernel, a GPU or a Spark task adds its terms. Scores built on
 * them, and the money they decide, are therefore the same on every machine and every partitioning.
 *
 * @param values integers, as doubles
 * @param scale what one unit is worth
 */
record IntegerVector(double[] values, double scale) implements Serializable {

  /**
   * Bits per value (sign excluded) for vectors of {@code width} entries: products of two values
   * are below 2^(2·bits) and {@code width} of them sum below 2⁵³. 20 bits up to 4,096 entries.
   */
  public static int bits(int width) {
    int log = 64 - Long.numberOfLeadingZeros(Math.max(1, width - 1));
    int bits = (52 - log) / 2;
    if (bits < 8) {
      throw new IllegalArgumentException("vectors of " + width + " entries are too wide for exact integer dot products");
    }
    return bits;
  }

  /** {@code x} rounded to {@link #bits(int)}-bit integers relative to its largest magnitude. */
  public static IntegerVector of(double[] x) {
    double max = 0;
    for (double v : x) {
      max = Math.max(max, Math.abs(v));
    }
    double[] values = new double[x.length];
    if (!(max > 0) || !Double.isFinite(max)) {
      if (!Double.isFinite(max)) {
        throw new IllegalArgumentException("a vector with a non-finite entry cannot be scored");
      }
      return new IntegerVector(values, 0);
    }
    double scale = max / ((1L << bits(x.length)) - 1);
    for (int i = 0; i < x.length; i++) {
      values[i] = Math.rint(x[i] / scale);
    }
    return new IntegerVector(values, scale);
  }

  /** {@link #of(double[])} of a float vector. */
  public static IntegerVector of(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return of(d);
  }

  /** The exact integer dot product of two vectors times their scales: {@code x·y} to within the rounding, the same bits everywhere. */
  public static double score(double exactDot, double scaleA, double scaleB) {
    return exactDot * scaleA * scaleB;
  }
}
