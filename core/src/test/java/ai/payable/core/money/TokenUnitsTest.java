package ai.payable.core.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class TokenUnitsTest {

  private static final TokenUnits PAYT = new TokenUnits("PAYT", 18);

  @Test
  void formatsExactlyInTokenUnits() {
    assertEquals("0.144 PAYT", PAYT.format(new BigInteger("144000000000000000")));
    assertEquals("1,234.5 PAYT", PAYT.format(new BigInteger("1234500000000000000000")));
    assertEquals("0.000000000000000001 PAYT", PAYT.format(BigInteger.ONE), "one wei is not rounded away");
    assertEquals("0 PAYT", PAYT.format(BigInteger.ZERO));
    assertEquals("-0.5 PAYT", PAYT.format(new BigInteger("-500000000000000000")), "a change can be negative");
    assertEquals("1,000,000 USDC", new TokenUnits("USDC", 6).format(new BigInteger("1000000000000")));
    assertEquals("144,000,000,000,000,000 wei", TokenUnits.WEI.format(new BigInteger("144000000000000000")));
    assertEquals("0.144 PAYT (144000000000000000 wei)", PAYT.formatWithWei(new BigInteger("144000000000000000")));
    assertEquals("700 wei", TokenUnits.WEI.formatWithWei(BigInteger.valueOf(700)), "no token, no second figure");
    assertEquals("0.01235 PAYT", PAYT.formatApproximate(1.23456789e16), "estimates show four significant digits");
    assertEquals("1,235 wei", TokenUnits.WEI.formatApproximate(1234.5));
    assertEquals(0.144, PAYT.value(new BigInteger("144000000000000000")), 1e-12);
  }

  @Test
  void parsesSymbolAndDecimalsAndSaysWhatIsWrong() {
    assertEquals(new TokenUnits("USDC", 6), TokenUnits.parse("USDC:6"));
    assertEquals("PAYT:18", PAYT.toString());
    assertTrue(TokenUnits.WEI.isWei() && !PAYT.isWei());
    assertEquals("token 'PAYT' is not SYMBOL:DECIMALS, e.g. PAYT:18 or USDC:6", assertThrows(IllegalArgumentException.class, () -> TokenUnits.parse("PAYT")).getMessage());
    assertEquals("token 'PAYT:x': decimals 'x' is not an integer", assertThrows(IllegalArgumentException.class, () -> TokenUnits.parse("PAYT:x")).getMessage());
    assertEquals("token decimals 77 must be within [0, 36]", assertThrows(IllegalArgumentException.class, () -> TokenUnits.parse("BIG:77")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TokenUnits("<b>x</b> y", 18), "a symbol read from a contract must be one visible word");
  }
}
