package ai.payable.pipelines.dedup;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.sample.CopyCorpus;
import ai.payable.pipelines.sample.LightEdits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Copy detection over template-built records and light-edited copies of each kind, at 0.75: the
 * threshold at which the benchmark ({@code benchmarks/run copies}) catches copies with up to 10% of
 * words changed and flags no distinct record.
 */
class CopyDetectionTest extends SparkTestBase {

  @Test
  void copiesOfEveryEditKindAreCaughtAndDistinctRecordsOfOneTemplateAreNot() {
    List<CopyCorpus.Entry> corpus = CopyCorpus.generate(150, 8, new double[] {0.05, 0.10}, 7);
    Dataset<Row> rows = CopyCorpus.toRows(spark(), corpus);
    double threshold = 0.75;
    Map<String, Double> thresholds = Map.of("dermatology", threshold, "contracts", threshold, "agronomy", threshold);

    Map<String, Row> flagged = new HashMap<>();
    for (Row r : DuplicateDetector.mark(spark(), rows, rows.limit(0).select("record_id", "content_hash", "shingles"), thresholds)
        .where(col("dup_reason").isNotNull())
        .collectAsList()) {
      flagged.put(r.getAs("record_id"), r);
    }

    Map<String, int[]> caught = new TreeMap<>();
    int distinctFlagged = 0;
    for (CopyCorpus.Entry e : corpus) {
      Row f = flagged.get(e.id());
      if (e.originalOf() == null) {
        distinctFlagged += f == null ? 0 : 1;
        continue;
      }
      int[] c = caught.computeIfAbsent(e.kind() + " " + e.rate(), k -> new int[2]);
      c[0]++;
      if (f != null && e.originalOf().equals(f.getAs("duplicate_of"))) {
        c[1]++;
        assertTrue(f.<Double>getAs("similarity") >= threshold, e + " flagged at " + f.getAs("similarity"));
      }
    }
    assertEquals(0, distinctFlagged, "distinct records of one template flagged as copies");
    assertEquals(LightEdits.Kind.values().length * 2 - 3, caught.size(), caught.keySet().toString());
    for (Map.Entry<String, int[]> c : caught.entrySet()) {
      assertTrue(c.getValue()[1] >= c.getValue()[0] - 1, c.getKey() + ": " + c.getValue()[1] + " of " + c.getValue()[0] + " copies caught");
    }
  }

  @Test
  void theEarliestHolderWinsAndAnAcceptedRecordBeatsTheBatch() {
    String text = "Field trial report for the Velandell barley cultivar, sown in early March on silt loam soil with rows twenty cm apart.";
    List<CopyCorpus.Entry> corpus = List.of(
        new CopyCorpus.Entry(0, "first", "agronomy", text, null, null, 0),
        new CopyCorpus.Entry(1, "second", "agronomy", text.replace("early", "late"), null, null, 0),
        new CopyCorpus.Entry(2, "third", "agronomy", text.replace("twenty", "thirty"), null, null, 0));
    Dataset<Row> rows = CopyCorpus.toRows(spark(), corpus);
    Dataset<Row> accepted = rows.where("record_id = 'first'").select("record_id", "content_hash", "shingles");

    Map<String, String> byBatch = duplicatesOf(DuplicateDetector.mark(spark(), rows.where("record_id <> 'first'"), accepted, Map.of()));

    assertEquals(Map.of("second", "first", "third", "first"), byBatch);
  }

  @Test
  void aRecordWithManyEarlierHoldersOfItsAnchorsIsStillCheckedAndTheSkippedPairsAreCounted() {
    String text = "Field trial report for the Velandell barley cultivar, sown in early March on silt loam soil with rows twenty cm apart.";
    String[] fillers = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"};
    List<CopyCorpus.Entry> corpus = new java.util.ArrayList<>();
    for (int i = 0; i < fillers.length; i++) {
      corpus.add(new CopyCorpus.Entry(i, "r" + i, "agronomy", i == 0 ? text : text + " " + fillers[i], null, null, 0));
    }

    Map<String, Row> marked = new HashMap<>();
    for (Row r : DuplicateDetector.mark(spark(), CopyCorpus.toRows(spark(), corpus),
        CopyCorpus.toRows(spark(), corpus).limit(0).select("record_id", "content_hash", "shingles"), Map.of()).collectAsList()) {
      marked.put(r.getAs("record_id"), r);
    }

    Row last = marked.get("r" + (fillers.length - 1));
    assertEquals("r0", last.getAs("duplicate_of"), "the earliest holder is among those compared");
    assertTrue(last.<Long>getAs("copy_pairs_skipped") > 0, "more than " + DuplicateDetector.MAX_REFERENCES_PER_ANCHOR + " earlier holders: pairs skipped and counted");
    assertEquals(0L, marked.get("r1").<Long>getAs("copy_pairs_skipped"));
  }

  private static Map<String, String> duplicatesOf(Dataset<Row> marked) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : marked.where(col("dup_reason").isNotNull()).collectAsList()) {
      out.put(r.getAs("record_id"), r.getAs("duplicate_of"));
    }
    return out;
  }
}
