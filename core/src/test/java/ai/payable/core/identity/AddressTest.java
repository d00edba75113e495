package ai.payable.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AddressTest {

  // EIP-55's own test vectors.
  private static final String[] CHECKSUMMED = {
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
  };

  @Test
  void eip55VectorsRoundTrip() {
    for (String s : CHECKSUMMED) {
      Address a = Address.parse(s);
      assertEquals(s.toLowerCase(), a.value());
      assertEquals(s, a.checksummed());
    }
  }

  @Test
  void acceptsSingleCaseAndRejectsBadChecksum() {
    assertEquals(
        Address.parse(CHECKSUMMED[0]), Address.parse(CHECKSUMMED[0].toUpperCase().replace("0X", "0x")));
    String broken = CHECKSUMMED[0].replace("aA", "Aa");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Address.parse(broken));
    assertEquals("address '" + broken + "' has an invalid EIP-55 checksum", e.getMessage());
  }

  @Test
  void rejectsShortPrefixlessAndNonHex() {
    assertThrows(IllegalArgumentException.class, () -> Address.parse("0x1234"));
    assertThrows(IllegalArgumentException.class, () -> Address.parse("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
    assertThrows(IllegalArgumentException.class, () -> Address.parse("0x" + "g".repeat(40)));
  }
}
