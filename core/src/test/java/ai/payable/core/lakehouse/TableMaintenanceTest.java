package ai.payable.core.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.testing.SparkTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VACUUM never takes away a version a registered model pins. */
class TableMaintenanceTest extends SparkTestBase {

  private static final String CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";

  @BeforeEach
  void allowShortRetention() {
    spark().conf().set(CHECK, "false"); // lets the test vacuum with 0 hours, the harshest setting
  }

  @AfterEach
  void restore() {
    spark().conf().set(CHECK, "true");
  }

  /** Writes version 0 of records, then rewrites it (version 1), so version 0's files are no longer live. */
  private void twoVersionsOfRecords() {
    Dataset<Row> records = spark().range(20).selectExpr("CAST(id AS STRING) AS record_id");
    records.write().format("delta").save(lakehouse.path(Tables.RECORDS));
    records.limit(5).write().format("delta").mode("overwrite").save(lakehouse.path(Tables.RECORDS));
  }

  private long rowsAtVersion0() {
    return spark().read().format("delta").option("versionAsOf", 0).load(lakehouse.path(Tables.RECORDS)).count();
  }

  @Test
  void aPinnedVersionSurvivesVacuum() {
    twoVersionsOfRecords();
    lakehouse.append(Tables.MODELS, List.of(new ModelRow("m-1", ModelKind.ADAPTER, "adapter", Optional.empty(), Optional.empty(), List.of("derm"), "{}", 0,
        "tok", "{}", Map.of(), "file:///m-1", Timestamp.from(Instant.now())).toRow()));
    TableMaintenance.Outcome o = new TableMaintenance(lakehouse).maintain(Tables.RECORDS, OptionalLong.of(0)).orElseThrow();
    assertTrue(o.vacuumed());
    assertEquals(OptionalLong.of(2), o.keptForPins(), "the retention reaches back to version 0, committed moments ago (rounded up, plus an hour)");
    assertEquals(20, rowsAtVersion0(), "the model's training set can still be re-read");
  }

  @Test
  void anUnpinnedVersionIsVacuumedAsAsked() {
    twoVersionsOfRecords();
    TableMaintenance.Outcome o = new TableMaintenance(lakehouse).maintain(Tables.RECORDS, OptionalLong.of(0)).orElseThrow();
    assertEquals(OptionalLong.empty(), o.keptForPins());
    assertThrows(Exception.class, this::rowsAtVersion0, "without a pin, version 0's files are gone");
  }
}
