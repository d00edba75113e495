package ai.payable.pipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.testing.LocalS3;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same ingestion against a real S3 API: s3proxy serving on 127.0.0.1, reached through Hadoop
 * S3A with AWS SigV4, both for the landing zone and for the Delta lakehouse.
 */
class S3LakehouseTest extends SparkTestBase {

  private static LocalS3 s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = LocalS3.start("lake");
    s3.configure(spark().sparkContext().hadoopConfiguration());
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void ingestsFromAnS3LandingZoneIntoAnS3Lakehouse() throws Exception {
    Path local = scratch.resolve("landing");
    Submissions.write(local, "a.jsonl", Submissions.valid(Submissions.contributor(1), "dermatology", 8, 11));
    Submissions.write(local, "b.jsonl", List.of("{broken"));
    FileSystem fs = FileSystem.get(URI.create("s3a://lake/"), spark().sparkContext().hadoopConfiguration());
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("s3a://lake/landing"));

    Lakehouse s3 = new Lakehouse(spark(), URI.create("s3a://lake/lakehouse"));
    new DataNetRegistry(s3).register(DataNetSpecs.parse(Submissions.DATANETS_YAML, "test.yaml"));
    IngestSummary first = new SubmissionIngestJob(s3).run(URI.create("s3a://lake/landing"));
    assertEquals(9, first.lines(), first.render());
    assertEquals(8, s3.read(Tables.RECORDS).count());
    assertEquals(1, s3.read(Tables.QUARANTINE).count());
    assertEquals("s3a://lake/landing/a.jsonl",
        s3.read(Tables.RECORDS).select("source_file").distinct().first().getString(0));

    IngestSummary again = new SubmissionIngestJob(s3).run(URI.create("s3a://lake/landing"));
    assertEquals(0, again.lines());
    assertEquals(8, s3.read(Tables.RECORDS).count());
  }
}
