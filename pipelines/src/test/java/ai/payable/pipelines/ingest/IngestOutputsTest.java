package ai.payable.pipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.payable.core.testing.SparkTestBase;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class IngestOutputsTest extends SparkTestBase {

  @Test
  void linesWhoseCopyCheckWasBoundedAreCountedPerOutcome() {
    StructType schema =
        new StructType()
            .add("group", DataTypes.StringType)
            .add("party", DataTypes.StringType)
            .add("reasons", DataTypes.createArrayType(DataTypes.StringType))
            .add("skipped_checks", DataTypes.LongType);
    List<Row> outcomes = List.of(
        RowFactory.create("agronomy", "0xa", new String[0], 0L),
        RowFactory.create("agronomy", "0xa", new String[0], 3L),
        RowFactory.create("agronomy", "0xa", new String[0], 5L),
        RowFactory.create("agronomy", "0xa", new String[] {"NEAR_DUPLICATE"}, 2L));

    Map<String, Long> lines = new TreeMap<>();
    for (Row r : IngestOutputs.metrics(spark().createDataFrame(outcomes, schema), "b1", "submissions", new Timestamp(0)).collectAsList()) {
      lines.put(r.getAs("outcome") + " " + r.getAs("reason"), r.getAs("lines"));
    }

    assertEquals(Map.of("accepted ALL", 3L, "accepted COPY_CHECK_BOUNDED", 2L, "quarantined ALL", 1L, "quarantined NEAR_DUPLICATE", 1L,
        "quarantined COPY_CHECK_BOUNDED", 1L), lines);
  }
}
