package ai.payable.cli.sql;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Prints query results as an aligned text table or as RFC 4180 CSV. */
final class RowPrinter {

  private static final int MAX_CELL = 60;

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
    out.println(String.join(",", List.of(rows.columns()).stream().map(RowPrinter::quote).toList()));
    for (Iterator<Row> it = rows.toLocalIterator(); it.hasNext(); ) {
      Row r = it.next();
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        fields.add(r.isNullAt(i) ? "" : quote(String.valueOf(value(r.get(i)))));
      }
      out.println(String.join(",", fields));
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

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String join(String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
    }
    return sb.toString().stripTrailing();
  }
}
