package ai.payable.rewards.merkle;

import ai.payable.core.identity.Address;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Published balances: {@code account,cumulative_wei} with a header line (RFC 4180, through Jackson's
 * CSV format), so anyone can rebuild a root independently. Reading fails on every bad row with its
 * file and line number.
 */
public final class BalancesCsv {

  private static final String ACCOUNT = "account";
  private static final String CUMULATIVE_WEI = "cumulative_wei";
  // Quoted only where RFC 4180 needs it: by default Jackson quotes every value over 24 characters.
  private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
  private static final CsvSchema WITH_HEADER = CsvSchema.builder().addColumn(ACCOUNT).addColumn(CUMULATIVE_WEI).build().withHeader();

  private BalancesCsv() {}

  /** Writes {@code balances} to {@code file}, accounts checksummed, in list order. */
  public static void write(List<CumulativeBalance> balances, Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8); SequenceWriter rows = CSV.writer(WITH_HEADER).writeValues(out)) {
      for (CumulativeBalance b : balances) {
        rows.write(List.of(b.account().checksummed(), b.cumulativeWei().toString()));
      }
    }
  }

  /** The balances of {@code file}, in file order. */
  public static List<CumulativeBalance> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("balances file " + file + " does not exist");
    }
    return read(Files.newInputStream(file), file.toString());
  }

  /** The balances in {@code csv} (closed when done), named {@code source} in error messages. */
  public static List<CumulativeBalance> read(InputStream csv, String source) throws IOException {
    List<CumulativeBalance> out = new ArrayList<>();
    Map<String, Long> firstLine = new HashMap<>();
    ObjectReader rows = CSV.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY).with(CsvParser.Feature.SKIP_EMPTY_LINES);
    try (MappingIterator<List<String>> it = rows.readValues(csv)) {
      if (!it.hasNextValue()) {
        throw new IllegalArgumentException(source + ":1: expected the header '" + ACCOUNT + "," + CUMULATIVE_WEI + "', got an empty file");
      }
      List<String> header = it.nextValue().stream().map(cell -> cell.replace("\uFEFF", "").strip()).toList();
      if (!header.equals(List.of(ACCOUNT, CUMULATIVE_WEI))) {
        throw new IllegalArgumentException(source + ":1: expected the header '" + ACCOUNT + "," + CUMULATIVE_WEI + "', got '" + String.join(",", header) + "'");
      }
      while (it.hasNextValue()) {
        List<String> cells = it.nextValue();
        long lineNo = it.getParser().currentTokenLocation().getLineNr();
        String where = source + ":" + lineNo;
        if (cells.size() != 2) {
          throw new IllegalArgumentException(where + ": expected 2 columns (" + ACCOUNT + "," + CUMULATIVE_WEI + "), got " + cells.size());
        }
        Address account;
        try {
          account = Address.parse(cells.get(0).strip());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": " + ACCOUNT + ": " + e.getMessage(), e);
        }
        String amount = cells.get(1).strip();
        if (!amount.matches("[0-9]+")) {
          throw new IllegalArgumentException(where + ": " + CUMULATIVE_WEI + " '" + amount + "' is not a non-negative integer");
        }
        Long earlier = firstLine.putIfAbsent(account.value(), lineNo);
        if (earlier != null) {
          throw new IllegalArgumentException(where + ": account " + account.checksummed() + " already appears on line " + earlier);
        }
        try {
          out.add(new CumulativeBalance(account, new BigInteger(amount)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ":" + e.getLocation().getLineNr() + ": not CSV: " + e.getOriginalMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + ": no balances after the header");
    }
    return out;
  }
}
