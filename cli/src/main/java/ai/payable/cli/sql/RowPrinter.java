package ai.payable.cli.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Prints query results as an aligned text table or as RFC 4180 CSV (Jackson's CSV format). */
final class RowPrinter {

  private static final int MAX_CELL = 60;
  // Standard output stays open after the rows are written; values are quoted only where RFC 4180
  // needs it (by default Jackson quotes every value over 24 characters, e.g. each address).
  private static final CsvMapper CSV = CsvMapper.builder().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

  private RowPrinter() {}

  static void table(Dataset<Row> rows, int limit, PrintStream out) {
    String[] columns = rows.columns();
    List<String[]> cells = new ArrayList<>();
    List<Row> taken = rows.limit(limit + 1).collectAsList();
    boolean cut = false;
    for (Row r : taken.subList(0, Math.min(limit, taken.size()))) {
      String[] line = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        String whole = cell(r.get(i));
        line[i] = whole.length() <= MAX_CELL ? whole : whole.substring(0, MAX_CELL - 1) + "…";
        cut |= whole.length() > MAX_CELL;
      }
      cells.add(line);
    }
    int[] width = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      width[i] = columns[i].length();
      for (String[] line : cells) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    out.println(join(columns, width));
    StringBuilder rule = new StringBuilder();
    for (int w : width) {
      rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(w));
    }
    out.println(rule);
    cells.forEach(line -> out.println(join(line, width)));
    out.println("(" + cells.size() + " row" + (cells.size() == 1 ? "" : "s") + (taken.size() > limit ? ", more not shown: raise --limit" : "")
        + (cut ? "; values over " + MAX_CELL + " characters are cut at …: --format csv or json prints them whole" : "") + ")");
  }

  static void csv(Dataset<Row> rows, PrintStream out) {
    CsvSchema.Builder schema = CsvSchema.builder();
    List.of(rows.columns()).forEach(schema::addColumn);
    try (SequenceWriter w = CSV.writer(schema.build().withHeader()).writeValues(out)) {
      for (Iterator<Row> it = rows.toLocalIterator(); it.hasNext(); ) {
        Row r = it.next();
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < r.length(); i++) {
          fields.add(r.isNullAt(i) ? "" : String.valueOf(value(r.get(i))));
        }
        w.write(fields);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing CSV: " + e.getMessage(), e);
    }
  }

  private static Object value(Object v) {
    if (v instanceof java.math.BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      return scala.jdk.javaapi.CollectionConverters.asJava(seq).toString();
    }
    return v;
  }

  /** A value on one line, whole. */
  private static String cell(Object v) {
    return v == null ? "NULL" : String.valueOf(value(v)).replace('\n', ' ').replace('\r', ' ');
  }


  private static String join(String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
    }
    return sb.toString().stripTrailing();
  }
}
