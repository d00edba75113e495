package ai.payable.attribution.split;

import java.math.BigInteger;
import java.util.Map;

/**
 * The configured split of an answer's fee between the protocol treasury, the model builder (the
 * adapter's owner) and the data contributors, in basis points summing to 10,000.
 *
 * @param protocolBps protocol treasury (default 1,000 = 10%)
 * @param builderBps model builder (default 2,000 = 20%)
 * @param dataBps data contributors (default 7,000 = 70%)
 */
public record FeeSplit(int protocolBps, int builderBps, int dataBps) {

  /** 10% protocol, 20% model builder, 70% data. */
  public static final FeeSplit DEFAULT = new FeeSplit(1_000, 2_000, 7_000);

  public FeeSplit {
    if (protocolBps < 0 || builderBps < 0 || dataBps < 0 || protocolBps + builderBps + dataBps != 10_000) {
      throw new IllegalArgumentException("fee shares must be non-negative and sum to 10000 bps, got protocol " + protocolBps + " + builder "
          + builderBps + " + data " + dataBps);
    }
  }

  /** An answer's fee in parts, summing exactly to {@code fee}. */
  public record Parts(BigInteger protocol, BigInteger builder, BigInteger data) {}

  /** Splits {@code fee} by these shares, exactly (largest remainders). */
  public Parts split(BigInteger fee) {
    Map<String, BigInteger> parts = Allocation.split(fee, Map.of("0-protocol", BigInteger.valueOf(protocolBps), "1-builder",
        BigInteger.valueOf(builderBps), "2-data", BigInteger.valueOf(dataBps)));
    return new Parts(parts.get("0-protocol"), parts.get("1-builder"), parts.get("2-data"));
  }
}
