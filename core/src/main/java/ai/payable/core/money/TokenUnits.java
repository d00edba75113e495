package ai.payable.core.money;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How a person reads an amount: the reward token's symbol and decimals, as its ERC-20
 * {@code symbol()} and {@code decimals()} say. Display only: data, files and the chain keep exact
 * integer wei, and {@link #format} is exact too (no rounding, trailing zeros dropped), so
 * {@code 144000000000000000} wei of an 18-decimal token reads {@code 0.144 PAYT}.
 *
 * <p>{@link #WEI} stands in when the token is not known: amounts then read as wei, as before.
 */
public record TokenUnits(String symbol, int decimals) implements Serializable {

  /** The token is unknown: amounts are shown in wei. */
  public static final TokenUnits WEI = new TokenUnits("wei", 0);

  /** ERC-20 allows any uint8; no real token uses more than this, and more would print unreadably. */
  public static final int MAX_DECIMALS = 36;

  public TokenUnits {
    if (symbol == null || symbol.isBlank() || symbol.length() > 16 || !symbol.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw new IllegalArgumentException("token symbol '" + symbol + "' must be 1 to 16 visible ASCII characters");
    }
    if (decimals < 0 || decimals > MAX_DECIMALS) {
      throw new IllegalArgumentException("token decimals " + decimals + " must be within [0, " + MAX_DECIMALS + "]");
    }
  }

  /** Parses {@code SYMBOL:DECIMALS}, e.g. {@code USDC:6}, as {@code --token} and {@code $PAYABLE_TOKEN} take it. */
  public static TokenUnits parse(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("token '" + text + "' is not SYMBOL:DECIMALS, e.g. PAYT:18 or USDC:6");
    }
    try {
      return new TokenUnits(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("token '" + text + "': decimals '" + text.substring(colon + 1) + "' is not an integer", e);
    }
  }

  /** Whether amounts are shown in wei because the token is unknown. */
  public boolean isWei() {
    return equals(WEI);
  }

  /** {@code wei} in token units with the symbol, e.g. {@code 1,234.5 PAYT}. */
  public String format(BigInteger wei) {
    return amount(wei) + " " + symbol;
  }

  /**
   * {@code wei} in token units with the exact wei beside it, e.g. {@code 0.144 PAYT (144000000000000000 wei)};
   * just {@code 700 wei} when the token is unknown.
   */
  public String formatWithWei(BigInteger wei) {
    return isWei() ? format(wei) : format(wei) + " (" + wei + " wei)";
  }

  /** {@code wei} in token units without the symbol, exact, thousands grouped: {@code 1,234.5}. */
  public String amount(BigInteger wei) {
    String plain = new BigDecimal(wei).movePointLeft(decimals).stripTrailingZeros().toPlainString();
    boolean negative = plain.startsWith("-");
    String digits = negative ? plain.substring(1) : plain;
    int dot = digits.indexOf('.');
    String whole = dot < 0 ? digits : digits.substring(0, dot);
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) {
        grouped.append(',');
      }
      grouped.append(whole.charAt(i));
    }
    return (negative ? "-" : "") + grouped + (dot < 0 ? "" : digits.substring(dot));
  }

  /**
   * An estimate in wei (a double: a share times a fee) in token units, to four significant digits,
   * e.g. {@code 0.01235 PAYT}. For figures that are shown, never paid.
   */
  public String formatApproximate(double estimatedWei) {
    return amountApproximate(estimatedWei) + " " + symbol;
  }

  /** {@link #formatApproximate} without the symbol, for columns that name it: {@code 0.01235}. */
  public String amountApproximate(double estimatedWei) {
    if (!Double.isFinite(estimatedWei)) {
      return "?";
    }
    return amount(BigDecimal.valueOf(estimatedWei).round(new MathContext(4)).setScale(0, RoundingMode.HALF_UP).toBigInteger());
  }

  /** {@code wei} in token units as a double, for chart axes only (never for money). */
  public double value(BigInteger wei) {
    return new BigDecimal(wei).movePointLeft(decimals).doubleValue();
  }

  /** {@code SYMBOL:DECIMALS}, as {@link #parse} reads it. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s:%d", symbol, decimals);
  }
}
