package ai.payable.core.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.DataNetRow;
import ai.payable.core.catalog.PiiPolicy;
import ai.payable.core.catalog.Tables;
import ai.payable.core.catalog.TrainingExampleRow;
import ai.payable.core.catalog.TrainingSplit;
import ai.payable.core.testing.SparkTestBase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The write idioms every stage uses: append, replace in one commit, upsert keeping columns. */
class LakehouseTest extends SparkTestBase {

  private static Row example(String model, String record) {
    return new TrainingExampleRow(model, record, "0xc", "law", TrainingSplit.TRAIN).toRow();
  }

  @Test
  void replaceSwapsOneKeysRowsInOneCommitAndLeavesTheRest() {
    assertFalse(lakehouse.exists(Tables.TRAINING_EXAMPLES));
    lakehouse.append(Tables.TRAINING_EXAMPLES, List.of(example("m1", "r1"), example("m1", "r2"), example("o'brien", "r3")));
    assertTrue(lakehouse.exists(Tables.TRAINING_EXAMPLES));
    long before = lakehouse.version(Tables.TRAINING_EXAMPLES);

    lakehouse.replace(Tables.TRAINING_EXAMPLES, "model_id", "m1", List.of(example("m1", "r9")));
    assertEquals(before + 1, lakehouse.version(Tables.TRAINING_EXAMPLES), "one commit: readers never see m1 without rows");
    assertEquals(List.of("r3", "r9"), records());

    // A value with a quote is a literal, not SQL; no rows deletes the key's rows.
    lakehouse.replace(Tables.TRAINING_EXAMPLES, "model_id", "o'brien", List.of());
    assertEquals(List.of("r9"), records());
    assertThrows(IllegalArgumentException.class, () -> lakehouse.replace(Tables.TRAINING_EXAMPLES, "model_id", 7, List.of()));
  }

  @Test
  void upsertUpdatesByKeyAndKeepsTheNamedColumns() {
    Instant first = Instant.parse("2026-11-01T00:00:00Z");
    Instant later = Instant.parse("2026-11-30T00:00:00Z");
    lakehouse.upsert(Tables.DATANETS, List.of(datanet("law", 20, first)), DataNetRow.KEY, Set.of(DataNetRow.REGISTERED_AT));
    lakehouse.upsert(Tables.DATANETS, List.of(datanet("law", 30, later), datanet("farm", 10, later)), DataNetRow.KEY, Set.of(DataNetRow.REGISTERED_AT));

    List<DataNetRow> rows = lakehouse.read(Tables.DATANETS).orderBy(DataNetRow.KEY).collectAsList().stream().map(DataNetRow::fromRow).toList();
    assertEquals(List.of("farm", "law"), rows.stream().map(DataNetRow::datanetId).toList());
    assertEquals(30, rows.get(1).minWords(), "the policy is updated");
    assertEquals(first, rows.get(1).registeredAt(), "the first registration's time is kept");
    assertEquals(Map.of("min_stop_words", 1.0), rows.get(1).qualityThresholds());
    assertEquals(PiiPolicy.REDACT, rows.get(1).piiPolicy());
  }

  private static Row datanet(String id, int minWords, Instant at) {
    return new DataNetRow(id, "general", List.of("CC0-1.0"), List.of("en"), PiiPolicy.REDACT, minWords, 1000, 0.75, Map.of("min_stop_words", 1.0), at)
        .toRow();
  }

  private List<String> records() {
    return lakehouse.read(Tables.TRAINING_EXAMPLES).orderBy("record_id").select("record_id").as(Encoders.STRING()).collectAsList();
  }
}
