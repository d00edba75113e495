package ai.payable.core.money;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A non-negative token amount in wei. Money is integer wei everywhere: never a double. Fits
 * Delta's {@code DECIMAL(38,0)}, which is checked on construction.
 */
public record Wei(BigInteger value) implements Serializable, Comparable<Wei> {

  /** The largest amount a {@code DECIMAL(38,0)} column holds. */
  public static final BigInteger MAX = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);

  public static final Wei ZERO = new Wei(BigInteger.ZERO);

  public Wei {
    if (value == null || value.signum() < 0) {
      throw new IllegalArgumentException("wei amount must be a non-negative integer, got " + value);
    }
    if (value.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("wei amount " + value + " exceeds DECIMAL(38,0)");
    }
  }

  /**
   * Parses a decimal integer string such as {@code "1500000000000000"}; rejects signs, decimals,
   * exponents, blanks and leading zeros' lookalikes with a message naming the text.
   */
  public static Wei parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("wei amount is empty");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(
            "wei amount '" + text + "' is not a non-negative integer (character '" + c + "')");
      }
    }
    return new Wei(new BigInteger(text));
  }

  public static Wei of(long value) {
    return new Wei(BigInteger.valueOf(value));
  }

  /** For Spark's {@code DECIMAL(38,0)} columns. */
  public static Wei fromDecimal(BigDecimal decimal) {
    return new Wei(decimal.toBigIntegerExact());
  }

  public BigDecimal toDecimal() {
    return new BigDecimal(value);
  }

  public Wei plus(Wei other) {
    return new Wei(value.add(other.value));
  }

  public Wei minus(Wei other) {
    return new Wei(value.subtract(other.value));
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  @Override
  public int compareTo(Wei other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
