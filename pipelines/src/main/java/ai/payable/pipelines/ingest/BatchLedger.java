package ai.payable.pipelines.ingest;

import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Makes an ingest batch all-or-nothing across several Delta tables. Delta commits one table at a
 * time, so a batch writes its output tables first and its {@code ingested_files} rows last: those
 * rows are the batch's commit marker. Before a run, rows of any batch without a marker (a run that
 * crashed half way) are deleted, so the re-run neither loses nor double-counts a line.
 */
final class BatchLedger {

  private final Lakehouse lakehouse;
  private final String kind;
  private final String batchPrefix;
  private final List<TableDef> outputs;

  /**
   * @param kind the landing kind ({@code submissions}, {@code inferences})
   * @param batchPrefix prefix of this kind's batch ids, so kinds sharing a table stay apart
   * @param outputs the tables a batch of this kind writes, all with a {@code batch_id} column
   */
  public BatchLedger(Lakehouse lakehouse, String kind, String batchPrefix, List<TableDef> outputs) {
    this.lakehouse = lakehouse;
    this.kind = kind;
    this.batchPrefix = batchPrefix;
    this.outputs = List.copyOf(outputs);
  }

  /** Deletes rows of this kind's uncommitted batches; returns the batch ids removed. */
  public Set<String> recover() {
    Set<String> committed = committedBatches();
    Set<String> removed = new HashSet<>();
    for (TableDef table : outputs) {
      Set<String> present =
          lakehouse.read(table)
              .select("batch_id")
              .where(org.apache.spark.sql.functions.col("batch_id").startsWith(batchPrefix))
              .distinct()
              .collectAsList()
              .stream()
              .map(r -> r.getString(0))
              .collect(Collectors.toSet());
      present.removeAll(committed);
      if (!present.isEmpty()) {
        String list = present.stream().map(id -> "'" + id + "'").sorted().collect(Collectors.joining(","));
        lakehouse.ensure(table).delete("batch_id IN (" + list + ")");
        removed.addAll(present);
      }
    }
    return removed;
  }

  /** Files of this kind already ingested, as {@code path + "\n" + sha256}. */
  public Set<String> ingestedFiles() {
    return lakehouse.read(Tables.INGESTED_FILES)
        .where(org.apache.spark.sql.functions.col("kind").equalTo(kind))
        .select("path", "sha256")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0) + "\n" + r.getString(1))
        .collect(Collectors.toSet());
  }

  /** Each path's state when it was last ingested. */
  public Map<String, LandingRewrites.Ingested> ingestedStates() {
    Map<String, LandingRewrites.Ingested> out = new HashMap<>();
    for (Row r : lakehouse.read(Tables.INGESTED_FILES).where(org.apache.spark.sql.functions.col("kind").equalTo(kind))
        .select("path", "size_bytes", "sha256", "lines", "ingested_at").collectAsList()) {
      LandingRewrites.Ingested state = new LandingRewrites.Ingested(r.getLong(1), r.getString(2), r.getLong(3), r.getTimestamp(4).toInstant());
      out.merge(r.getString(0), state, (a, b) -> a.ingestedAt().isAfter(b.ingestedAt()) ? a : b);
    }
    return out;
  }

  /** Appends the batch's {@code ingested_files} rows: the commit point of the batch. */
  public void commit(Dataset<Row> files) {
    lakehouse.append(Tables.INGESTED_FILES, files);
  }

  private Set<String> committedBatches() {
    return lakehouse.read(Tables.INGESTED_FILES)
        .where(org.apache.spark.sql.functions.col("kind").equalTo(kind))
        .select("batch_id")
        .distinct()
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .collect(Collectors.toSet());
  }
}
