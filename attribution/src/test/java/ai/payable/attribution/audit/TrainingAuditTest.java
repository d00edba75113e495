package ai.payable.attribution.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.catalog.TrainingSplit;
import ai.payable.core.config.Progress;
import ai.payable.core.identity.Address;
import ai.payable.core.submission.SubmissionSigner;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.training.job.TrainingJob;
import ai.payable.training.reference.HuggingFaceReference;
import ai.payable.training.registry.ModelImport;
import ai.payable.training.spec.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The training audit of an adapter on the whole pretrained SmolLM2-135M-Instruct (cut to a few
 * layers it is no language model, and nothing it learns tells a scrambled record from a sound one):
 * a record of scrambled words, signed and accepted like any other, comes out first and flagged with
 * its landing line; every training record gets one row, and a second audit replaces the first.
 */
class TrainingAuditTest extends SparkTestBase {

  @Test
  void flagsTheScrambledRecordAnAdapterTrainedOn() throws Exception {
    Path landing = scratch.resolve("landing");
    SampleSubmissions.write(landing, 48, 4, 0.0, "2026-11-20", 2);
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(SampleSubmissions.DATANETS_YAML, "sample.yaml"));
    new SubmissionIngestJob(lakehouse).run(landing.resolve("landing").toUri());

    // A contributor uploads one of their own agronomy records again with its words in random order:
    // no copy (its word shingles are new), every quality rule passes, and it says nothing.
    Row original = lakehouse.read(Tables.RECORDS).where("datanet = 'agronomy' AND kind = 'qa'").orderBy("record_id").first();
    List<String> words = new ArrayList<>(Arrays.asList((original.<String>getAs("prompt") + " " + original.<String>getAs("completion")).split(" ")));
    Collections.shuffle(words, new java.util.Random(4));
    SubmissionSigner signer = signerOf(original.getAs("contributor"));
    Files.writeString(landing.resolve("landing").resolve("scrambled.jsonl"),
        signer.signLine("agronomy", "CC0-1.0", "text", "", "", String.join(" ", words), "2026-11-20T12:00:00Z") + "\n");
    new SubmissionIngestJob(lakehouse).run(landing.resolve("landing").toUri());
    Row scrambled = lakehouse.read(Tables.RECORDS).where("source_file LIKE '%scrambled.jsonl'").first();

    String models = scratch.resolve("models").toString();
    ModelRow base = new ModelImport(lakehouse, models, Progress.silent()).run(HuggingFaceReference.smollm2(), Optional.of("smol"));
    String adapter = new TrainingJob(lakehouse, models, scratch.resolve("cache"), Progress.silent(), (s, n, l, t, sec) -> {}).run(TrainingSpec.parse("""
        name: agro-smol
        kind: adapter
        base: smol
        datanets: [agronomy]
        lora: {rank: 8, alpha: 16, targets: [all-linear]}
        optimizer: {learning_rate: 0.001}
        epochs: 3
        batch_size: 4
        max_length: 160
        features: {projection_dim: 8, layers: 2}
        """, "agro.yaml")).model().modelId();
    long trained = lakehouse.read(Tables.TRAINING_EXAMPLES).where("model_id = '" + adapter + "' AND split = '" + TrainingSplit.TRAIN.value() + "'").count();
    assertTrue(lakehouse.read(Tables.TRAINING_EXAMPLES).where("record_id = '" + scrambled.getAs("record_id") + "' AND split = 'train'").count() == 1,
        "the scrambled record is in the training split");

    TrainingAudit audit = new TrainingAudit(lakehouse, TrainingAudit.Settings.defaults(), scratch.resolve("cache"), Progress.silent());
    TrainingAudit.Summary summary = audit.run("agro-smol");
    assertEquals(adapter, summary.model().modelId());
    assertEquals(30 * 7, summary.modules(), "every layer's adapted modules: 30 layers × 7 projections");
    assertEquals(trained, summary.records().size());
    AuditedRecord first = summary.records().get(0);
    assertEquals(scrambled.<String>getAs("record_id"), first.recordId(), "the scrambled record has the highest self-influence: "
        + summary.records().stream().map(r -> r.rank() + ". z " + r.outlierScore() + " " + r.excerpt()).toList());
    assertTrue(first.flagged(), "and is flagged: z " + first.outlierScore());
    assertTrue(first.sourceFile().endsWith("scrambled.jsonl") && first.lineNo() == 1, first.sourceFile() + ":" + first.lineNo());
    assertTrue(summary.flagged().size() <= 2, "few clean records flagged: " + summary.flagged());

    List<Row> rows = lakehouse.read(Tables.TRAINING_AUDIT).where("model_id = '" + adapter + "'").orderBy("rank").collectAsList();
    assertEquals(trained, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(i + 1, rows.get(i).<Integer>getAs("rank"));
      assertEquals(summary.records().get(i).recordId(), rows.get(i).getAs("record_id"));
    }

    // Audited again, with another threshold: the adapter's rows are replaced, not added to.
    new TrainingAudit(lakehouse, new TrainingAudit.Settings(16, 23, 0.1, new OutlierRule(100)), scratch.resolve("cache"), Progress.silent()).run(adapter);
    assertEquals(trained, lakehouse.read(Tables.TRAINING_AUDIT).count());
    assertEquals(0, lakehouse.read(Tables.TRAINING_AUDIT).where("flagged").count());
    assertEquals(first.selfInfluence(), lakehouse.read(Tables.TRAINING_AUDIT).where("rank = 1").first().<Double>getAs("self_influence"), 0.0,
        "the same features give the same self-influence");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> audit.run(base.modelId()));
    assertTrue(e.getMessage().contains("name an adapter"), e.getMessage());
  }

  private static SubmissionSigner signerOf(String contributor) {
    for (int i = 0; i < 4; i++) {
      SubmissionSigner s = new SubmissionSigner(SampleSubmissions.demoKey(i));
      if (s.address().equals(Address.parse(contributor))) {
        return s;
      }
    }
    throw new IllegalStateException("no demo key signs for " + contributor);
  }
}
