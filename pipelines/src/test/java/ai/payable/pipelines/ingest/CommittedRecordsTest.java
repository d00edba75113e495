package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.CommittedRecords;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Readers downstream of ingestion (training, indexing) never see the rows of a batch that has not committed. */
class CommittedRecordsTest extends SparkTestBase {

  @Test
  void rowsOfAnUncommittedBatchAreNotRead() throws Exception {
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(Submissions.DATANETS_YAML, "test.yaml"));
    Path landing = scratch.resolve("landing");
    Submissions.write(landing, "a.jsonl", Submissions.valid(Submissions.contributor(1), "dermatology", 12, 1));
    new SubmissionIngestJob(lakehouse).run(landing.toUri());
    // A second batch wrote its records and was killed before its commit (its ingested_files rows).
    lakehouse.append(Tables.RECORDS, lakehouse.read(Tables.RECORDS).limit(3)
        .withColumn("record_id", concat(col("record_id"), lit("-crashed")))
        .withColumn("batch_id", lit("sub-crashed")));
    long version = lakehouse.version(Tables.RECORDS);

    assertEquals(15, lakehouse.snapshot(Tables.RECORDS, version).count(), "the table holds the partial batch until recovery");
    assertEquals(12, CommittedRecords.at(lakehouse, version).count());
    assertEquals(0, CommittedRecords.at(lakehouse, version).where(col("batch_id").equalTo("sub-crashed")).count());
  }
}
