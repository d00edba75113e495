package ai.payable.rewards.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.payable.core.identity.Address;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Published balances: plain RFC 4180 that anyone's tools read, and every bad row named by its line. */
class BalancesCsvTest {

  private static final Address ALICE = Address.parse("0x1111111111111111111111111111111111111111");
  private static final Address BOB = Address.parse("0x2222222222222222222222222222222222222222");

  @TempDir Path dir;

  private static List<CumulativeBalance> read(String csv) throws Exception {
    return BalancesCsv.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "b.csv");
  }

  @Test
  void writesPlainRowsAndReadsThemBack() throws Exception {
    List<CumulativeBalance> balances = List.of(new CumulativeBalance(ALICE, new BigInteger("5000000000000000000")),
        new CumulativeBalance(BOB, BigInteger.ONE));
    Path file = dir.resolve("balances.csv");
    BalancesCsv.write(balances, file);
    assertEquals("account,cumulative_wei\n" + ALICE.checksummed() + ",5000000000000000000\n" + BOB.checksummed() + ",1\n", Files.readString(file),
        "no quotes: nothing in a balance needs them");
    assertEquals(balances, BalancesCsv.read(file));
    assertEquals(balances, read("\uFEFFaccount,cumulative_wei\r\n\"" + ALICE.value() + "\",5000000000000000000\r\n\r\n" + BOB.value() + ",1\r\n"),
        "a byte-order mark, CRLF, quoted cells and blank lines are read as spreadsheets write them");
  }

  @Test
  void badRowsAreNamedByLine() {
    assertEquals("b.csv:1: expected the header 'account,cumulative_wei', got 'address,amount'",
        assertThrows(IllegalArgumentException.class, () -> read("address,amount\n")).getMessage());
    assertEquals("b.csv:3: cumulative_wei '-1' is not a non-negative integer",
        assertThrows(IllegalArgumentException.class, () -> read("account,cumulative_wei\n" + ALICE.value() + ",5\n" + BOB.value() + ",-1\n")).getMessage());
    assertEquals("b.csv:3: account " + ALICE.checksummed() + " already appears on line 2",
        assertThrows(IllegalArgumentException.class, () -> read("account,cumulative_wei\n" + ALICE.value() + ",5\n" + ALICE.value() + ",6\n")).getMessage());
    assertEquals("b.csv:2: expected 2 columns (account,cumulative_wei), got 3",
        assertThrows(IllegalArgumentException.class, () -> read("account,cumulative_wei\n" + ALICE.value() + ",5,7\n")).getMessage());
  }
}
