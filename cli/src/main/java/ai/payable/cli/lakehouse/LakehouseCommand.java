package ai.payable.cli.lakehouse;

import ai.payable.cli.LakehouseOption;
import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.lakehouse.TableMaintenance;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable lakehouse}: housekeeping of the Delta tables. */
@Command(
    name = "lakehouse",
    mixinStandardHelpOptions = true,
    description = "Housekeeping of the lakehouse's Delta tables.",
    subcommands = {LakehouseCommand.Maintain.class})
public final class LakehouseCommand {

  @Command(
      name = "maintain",
      mixinStandardHelpOptions = true,
      description = {
        "Compacts small files (OPTIMIZE) of every table, then optionally deletes unreferenced old files (VACUUM).",
        "Rows are never changed, so it is safe to run any time and to repeat."
      })
  static final class Maintain implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Option(names = "--tables", split = ",", paramLabel = "NAME", description = "Only these tables, or all (default: all).")
    List<String> tables;

    @Option(
        names = "--vacuum-hours",
        paramLabel = "H",
        description = "Also vacuum files unreferenced for longer than H hours (at least 168). Time travel only reaches back this far, "
            + "except to versions a registered model pins (its records_version): the records table keeps those, however old. Default: no vacuum.")
    Long vacuumHours;

    @Override
    public Integer call() {
      if (vacuumHours != null && vacuumHours < 168) {
        throw new IllegalArgumentException("--vacuum-hours " + vacuumHours + " is below Delta's safe minimum of 168 (7 days): "
            + "concurrent readers and writers could lose files");
      }
      List<TableDef> chosen = tables == null || tables.equals(List.of("all")) ? Tables.all() : tables.stream().map(name -> Tables.byName(name).orElseThrow(() ->
          new IllegalArgumentException("--tables: unknown table '" + name + "'; known: " + Tables.all().stream().map(TableDef::name).toList()))).toList();
      Lakehouse lh = lakehouse.open();
      TableMaintenance maintenance = new TableMaintenance(lh);
      OptionalLong retention = vacuumHours == null ? OptionalLong.empty() : OptionalLong.of(vacuumHours);
      int done = 0;
      for (TableDef table : chosen) {
        Optional<TableMaintenance.Outcome> outcome = maintenance.maintain(table, retention);
        if (outcome.isEmpty()) {
          System.out.printf(Locale.ROOT, "%-18s not created yet%n", table.name());
          continue;
        }
        TableMaintenance.Outcome o = outcome.get();
        System.out.printf(Locale.ROOT, "%-18s %,d rows: %d files -> %d%s%n", o.table(), o.rows(), o.filesBefore(), o.filesAfter(),
            o.vacuumed() ? ", vacuumed" + (o.keptForPins().isPresent() ? " keeping " + o.keptForPins().getAsLong() + " h for versions models pin" : "") : "");
        done++;
      }
      System.out.printf(Locale.ROOT, "maintained %d table(s) of %s%n", done, lh.root());
      return 0;
    }
  }
}
