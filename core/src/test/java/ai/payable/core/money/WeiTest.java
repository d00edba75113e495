package ai.payable.core.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class WeiTest {

  @Test
  void parsesIntegersAndRejectsEverythingElse() {
    assertEquals(new BigInteger("1500000000000000000"), Wei.parse("1500000000000000000").value());
    for (String bad : new String[] {"", "-1", "1.5", "1e18", " 1", "0x10", "+3"}) {
      assertThrows(IllegalArgumentException.class, () -> Wei.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> Wei.parse("1" + "0".repeat(38)));
  }
}
