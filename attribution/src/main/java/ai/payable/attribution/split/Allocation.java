package ai.payable.attribution.split;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an integer amount of wei by weights without losing a wei: each party gets the floor of its
 * exact share, and the remainder goes one wei at a time to the largest fractional parts (Hamilton's
 * largest-remainder method), ties broken by key, so the parts always sum to the amount and the
 * result does not depend on input order.
 */
public final class Allocation {

  private Allocation() {}

  /**
   * Splits {@code amount} over {@code weights} (non-negative, not all zero) exactly.
   *
   * @return key → wei, summing to {@code amount}, in key order
   */
  public static Map<String, BigInteger> split(BigInteger amount, Map<String, BigInteger> weights) {
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("cannot split a negative amount: " + amount);
    }
    BigInteger total = BigInteger.ZERO;
    for (Map.Entry<String, BigInteger> w : weights.entrySet()) {
      if (w.getValue().signum() < 0) {
        throw new IllegalArgumentException("negative weight " + w.getValue() + " for " + w.getKey());
      }
      total = total.add(w.getValue());
    }
    if (total.signum() == 0) {
      throw new IllegalArgumentException("all weights are zero; nothing to split " + amount + " wei by");
    }
    record Part(String key, BigInteger floor, BigInteger remainder) {}
    List<Part> parts = new ArrayList<>();
    BigInteger given = BigInteger.ZERO;
    for (String key : weights.keySet().stream().sorted().toList()) {
      BigInteger[] qr = amount.multiply(weights.get(key)).divideAndRemainder(total);
      parts.add(new Part(key, qr[0], qr[1]));
      given = given.add(qr[0]);
    }
    int left = amount.subtract(given).intValueExact(); // < number of parts
    List<Part> byRemainder = new ArrayList<>(parts);
    byRemainder.sort(Comparator.comparing(Part::remainder).reversed().thenComparing(Part::key));
    Map<String, BigInteger> out = new LinkedHashMap<>();
    for (Part p : parts) {
      out.put(p.key(), p.floor());
    }
    for (int i = 0; i < left; i++) {
      out.merge(byRemainder.get(i).key(), BigInteger.ONE, BigInteger::add);
    }
    return out;
  }

  /**
   * Turns real-valued shares into integer weights of {@code scale} units in total (largest
   * remainders again), so money is only ever divided in integers.
   */
  public static Map<String, BigInteger> weights(Map<String, Double> shares, long scale) {
    double sum = shares.values().stream().mapToDouble(Double::doubleValue).sum();
    if (!(sum > 0)) {
      throw new IllegalArgumentException("shares must have a positive sum, got " + shares);
    }
    Map<String, BigInteger> units = new LinkedHashMap<>();
    Map<String, Double> fractions = new LinkedHashMap<>();
    long given = 0;
    for (String key : shares.keySet().stream().sorted().toList()) {
      double exact = shares.get(key) / sum * scale;
      long floor = (long) Math.floor(exact);
      units.put(key, BigInteger.valueOf(floor));
      fractions.put(key, exact - floor);
      given += floor;
    }
    List<String> order = new ArrayList<>(fractions.keySet());
    order.sort(Comparator.comparing((String k) -> fractions.get(k)).reversed().thenComparing(k -> k));
    for (int i = 0; i < scale - given && i < order.size(); i++) {
      units.merge(order.get(i), BigInteger.ONE, BigInteger::add);
    }
    return units;
  }
}
