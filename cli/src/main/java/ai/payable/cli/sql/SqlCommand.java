package ai.payable.cli.sql;

import ai.payable.cli.LakehouseOption;
import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code payable sql "SELECT ..."}: query any lakehouse table by name. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Spark SQL over the lakehouse; every table is a view named after it (records, quarantine, inferences, ...). --tables lists them. Example: payable sql \"SELECT datanet, count(*) FROM records GROUP BY datanet\"",
      "",
      "--repl keeps one Spark session for many queries (Spark's start-up is paid once): type queries ending with ';', \\q to quit. "
          + "Queries can also be piped in: payable sql --repl < queries.sql"
    })
public final class SqlCommand implements Callable<Integer> {

  /** Output formats. */
  public enum Format {
    table,
    csv,
    json
  }

  @Mixin LakehouseOption lakehouse;

  @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "A Spark SQL query.")
  String query;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json lines (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--limit", defaultValue = "1000", description = "Most rows printed as a table (csv/json print all) (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--tables", description = "List the lakehouse tables with their row counts and exit.")
  boolean tables;

  @Option(names = "--repl", description = "Read queries (each ending with ';') from the terminal or standard input, one Spark session for all.")
  boolean repl;

  @Override
  public Integer call() {
    Lakehouse lh = lakehouse.open();
    lh.registerViews();
    PrintStream out = System.out;
    if (tables) {
      for (TableDef t : Tables.all()) {
        out.printf("%-18s %10d rows  %s%n", t.name(), lh.read(t).count(), t.description());
      }
      return 0;
    }
    if (repl) {
      return new SqlRepl(lh, q -> print(lh.spark().sql(q), out)).run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
          System.console() != null, out, System.err);
    }
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("give a query, e.g. payable sql \"SELECT * FROM records LIMIT 5\", or --tables, or --repl for many");
    }
    print(lh.spark().sql(query), out);
    return 0;
  }

  private void print(Dataset<Row> result, PrintStream out) {
    switch (format) {
      case table -> RowPrinter.table(result, limit, out);
      case csv -> RowPrinter.csv(result, out);
      case json -> {
        for (Iterator<String> it = result.toJSON().toLocalIterator(); it.hasNext(); ) {
          out.println(it.next());
        }
      }
    }
  }
}
