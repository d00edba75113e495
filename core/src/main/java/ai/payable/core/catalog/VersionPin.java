package ai.payable.core.catalog;

/**
 * A column of {@code holder} naming versions of {@code pinned} that must stay readable by time
 * travel, e.g. the {@code records} version a model trained on, which attribution re-reads.
 * Maintenance keeps every pinned version's files and log.
 */
public record VersionPin(TableDef holder, String column, TableDef pinned) {

  public VersionPin {
    holder.columns(column); // fails naming the table when it has no such column
  }
}
