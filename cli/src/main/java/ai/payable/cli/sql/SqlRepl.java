package ai.payable.cli.sql;

import ai.payable.core.lakehouse.Lakehouse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code payable sql --repl}: many queries on one Spark session. Statements end with {@code ;} and
 * may span lines; a failing query prints its error and the loop goes on; {@code \q}, {@code quit}
 * or the end of input stops it.
 */
final class SqlRepl {

  private final Lakehouse lakehouse;
  private final Consumer<String> runQuery;

  SqlRepl(Lakehouse lakehouse, Consumer<String> runQuery) {
    this.lakehouse = lakehouse;
    this.runQuery = runQuery;
  }

  /**
   * Reads statements from {@code in} until its end or {@code \q}.
   *
   * @param interactive whether to prompt (a person at a terminal)
   * @return 0 when every query ran, 1 when any failed (for piped scripts)
   */
  int run(BufferedReader in, boolean interactive, PrintStream out, PrintStream err) {
    if (interactive) {
      err.println("lakehouse " + lakehouse.root() + "; tables are views (payable sql --tables lists them). End queries with ';', \\q quits.");
    }
    int failures = 0;
    StringBuilder statement = new StringBuilder();
    try {
      while (true) {
        if (interactive) {
          err.print(statement.isEmpty() ? "payable> " : "      -> ");
          err.flush();
        }
        String line = in.readLine();
        if (line == null) {
          break;
        }
        String trimmed = line.strip();
        if (statement.isEmpty() && (trimmed.equals("\\q") || trimmed.toLowerCase(Locale.ROOT).matches("quit;?|exit;?"))) {
          break;
        }
        statement.append(line).append('\n');
        if (!trimmed.endsWith(";")) {
          continue;
        }
        String query = statement.toString().strip();
        statement.setLength(0);
        query = query.substring(0, query.length() - 1).strip();
        if (query.isEmpty()) {
          continue;
        }
        try {
          runQuery.accept(query);
        } catch (Exception e) { // Spark's AnalysisException is a checked exception Scala throws undeclared
          failures++;
          err.println("error: " + firstLine(e.getMessage()));
        }
      }
    } catch (IOException e) {
      err.println("error: reading queries: " + e.getMessage());
      return 1;
    }
    if (!statement.toString().isBlank()) {
      err.println("error: the last query has no closing ';' and was not run: " + firstLine(statement.toString().strip()));
      failures++;
    }
    return failures == 0 ? 0 : 1;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
