package ai.payable.rewards.merkle;

import ai.payable.core.identity.Address;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads published balances ({@code account,cumulative_wei} with a header line), so anyone can
 * rebuild a root independently. Every bad row fails with its file and line number.
 */
public final class BalancesCsv {

  private BalancesCsv() {}

  /** The balances of {@code file}, in file order. */
  public static List<CumulativeBalance> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("balances file " + file + " does not exist");
    }
    return read(Files.newInputStream(file), file.toString());
  }

  /** The balances in {@code csv} (closed when done), named {@code source} in error messages. */
  public static List<CumulativeBalance> read(InputStream csv, String source) throws IOException {
    String file = source;
    List<CumulativeBalance> out = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
      String header = in.readLine();
      if (header == null || !header.strip().replace("\uFEFF", "").equals("account,cumulative_wei")) {
        throw new IllegalArgumentException(file + ":1: expected the header 'account,cumulative_wei', got " + (header == null ? "an empty file" : "'" + header + "'"));
      }
      String line;
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.strip().split(",", -1);
        if (cells.length != 2) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": expected 2 columns (account,cumulative_wei), got " + cells.length);
        }
        Address account;
        try {
          account = Address.parse(cells[0].strip());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": account: " + e.getMessage(), e);
        }
        String amount = cells[1].strip();
        if (!amount.matches("[0-9]+")) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": cumulative_wei '" + amount + "' is not a non-negative integer");
        }
        Integer earlier = firstLine.putIfAbsent(account.value(), lineNo);
        if (earlier != null) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": account " + account.checksummed() + " already appears on line " + earlier);
        }
        try {
          out.add(new CumulativeBalance(account, new BigInteger(amount)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(file + ": no balances after the header");
    }
    return out;
  }
}
