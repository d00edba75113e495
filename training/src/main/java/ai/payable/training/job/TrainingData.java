package ai.payable.training.job;

import static org.apache.spark.sql.functions.col;

import ai.payable.core.catalog.AcceptedRecord;
import ai.payable.core.catalog.Tables;
import ai.payable.core.crypto.Hex;
import ai.payable.core.lakehouse.CommittedRecords;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.training.spec.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The records a spec trains on, read from one pinned Delta version of {@code records} (kept with the
 * model, so the exact set can be reloaded with time travel), split into training and held-out
 * records by a hash of the record id: stable when records are added, the same on every run.
 *
 * @param recordsVersion the version of {@code records} that was read
 */
record TrainingData(long recordsVersion, List<AcceptedRecord> train, List<AcceptedRecord> heldout) {

  /** Reads the records of {@code spec}'s DataNets (and filter). */
  public static TrainingData read(Lakehouse lakehouse, TrainingSpec spec) {
    if (!spec.datanets().isEmpty()) {
      List<String> known = lakehouse.read(Tables.DATANETS).select("datanet_id").collectAsList().stream().map(r -> r.getString(0)).toList();
      for (String d : spec.datanets()) {
        if (!known.contains(d)) {
          throw new IllegalArgumentException("spec " + spec.name() + ": unknown DataNet '" + d + "'; registered: " + known);
        }
      }
    }
    long version = lakehouse.version(Tables.RECORDS);
    Dataset<Row> records = CommittedRecords.at(lakehouse, version);
    if (!spec.datanets().isEmpty()) {
      records = records.where(col("datanet").isin(spec.datanets().toArray()));
    }
    if (spec.filter().isPresent()) {
      records = records.where(spec.filter().get());
    }
    List<Row> rows = records.select(AcceptedRecord.COLUMNS).orderBy("record_id").collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalStateException("spec " + spec.name() + " selects no records (DataNets " + spec.datanets() + spec.filter().map(f -> ", filter " + f).orElse("")
          + ") in version " + version + " of records; ingest submissions first or check the DataNet names");
    }
    List<AcceptedRecord> train = new ArrayList<>();
    List<AcceptedRecord> heldout = new ArrayList<>();
    for (Row r : rows) {
      AcceptedRecord e = AcceptedRecord.fromRow(r);
      (isHeldout(e.recordId(), spec.heldoutFraction()) ? heldout : train).add(e);
    }
    if (train.isEmpty()) {
      throw new IllegalStateException("spec " + spec.name() + ": all " + rows.size() + " records fell into the held-out split; lower heldout_fraction");
    }
    return new TrainingData(version, List.copyOf(train), List.copyOf(heldout));
  }

  /** Record ids are keccak digests, uniform in every byte, so their last two bytes split fairly. */
  static boolean isHeldout(String recordId, double fraction) {
    byte[] id = Hex.decode(recordId);
    long top = ((id[id.length - 2] & 0xffL) << 8) | (id[id.length - 1] & 0xffL);
    return top < fraction * 65536;
  }
}
