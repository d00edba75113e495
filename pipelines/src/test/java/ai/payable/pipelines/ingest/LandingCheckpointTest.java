package ai.payable.pipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.submission.SubmissionSigner;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A re-run with nothing new is decided from file listings alone, and every kind of change sends the
 * next run back through Spark: a new or rewritten landing file, a table written by someone else, a
 * crashed batch's partial rows.
 */
class LandingCheckpointTest extends SparkTestBase {

  private Path landing;
  private SubmissionIngestJob job;
  private Configuration hadoop;

  @BeforeEach
  void registerDataNets() throws Exception {
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(Submissions.DATANETS_YAML, "test.yaml"));
    landing = Files.createDirectories(scratch.resolve("landing"));
    job = new SubmissionIngestJob(lakehouse);
    hadoop = spark().sparkContext().hadoopConfiguration();
  }

  private Optional<IngestSummary> nothingNew() {
    return SubmissionIngestJob.nothingNew(lakehouse.root(), landing.toUri(), hadoop);
  }

  @Test
  void anUnchangedLandingZoneNeedsNoSparkAndAnyChangeDoes() throws Exception {
    SubmissionSigner alice = Submissions.contributor(1);
    URI zone = landing.toUri();
    assertTrue(nothingNew().isEmpty(), "before the first run there is nothing to compare with");
    Submissions.write(landing, "a.jsonl", Submissions.valid(alice, "dermatology", 10, 1));
    assertEquals(10, job.run(zone).accepted());

    IngestSummary skipped = nothingNew().orElseThrow(() -> new AssertionError("an unchanged landing zone is decided without Spark"));
    assertEquals(1, skipped.filesListed());
    assertEquals(1, skipped.filesSkipped());
    assertEquals(0, skipped.lines());

    // A new file: the full path ingests it, and the checkpoint then knows it too.
    Submissions.write(landing, "b.jsonl", Submissions.valid(alice, "contracts", 5, 2));
    assertTrue(nothingNew().isEmpty(), "a new landing file needs a run");
    assertEquals(5, job.run(zone).accepted());
    assertEquals(2, nothingNew().orElseThrow().filesSkipped());

    // A file rewritten with other content of another size.
    Submissions.write(landing, "b.jsonl", Submissions.valid(alice, "contracts", 6, 2));
    assertTrue(nothingNew().isEmpty(), "a resized landing file needs a run");
    job.run(zone);
    assertTrue(nothingNew().isPresent());

    // Partial rows of a crashed batch (rows in records with no ingested_files marker): the next run must roll them back.
    long records = lakehouse.read(Tables.RECORDS).count();
    lakehouse.read(Tables.RECORDS).limit(1).withColumn("batch_id", functions.lit("sub-crashed")).write().format("delta").mode("append")
        .save(lakehouse.path(Tables.RECORDS));
    assertTrue(nothingNew().isEmpty(), "any commit to a table of the batch since the checkpoint sends the run through Spark");
    IngestSummary full = job.run(zone);
    assertEquals(0, full.filesIngested());
    assertEquals(1, full.recoveredBatches(), "the full path rolled the crashed batch back");
    assertEquals(records, lakehouse.read(Tables.RECORDS).count());
    assertTrue(nothingNew().isPresent(), "the full run refreshed the checkpoint");

    // A damaged checkpoint is a reason to check, not to fail.
    Path file = Path.of(lakehouse.root()).resolve("_payable/landing-submissions.json");
    Files.writeString(file, "{not json");
    assertTrue(nothingNew().isEmpty());
  }
}
