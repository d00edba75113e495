package ai.payable.training.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.gateway.GatewayRegistry;
import ai.payable.pipelines.ingest.InferenceIngestJob;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.infer.BatchInference;
import ai.payable.training.spec.TrainingSpec;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

/** Teacher → distilled student → adapter, from ingested records to registered models with lineage. */
class TrainingJobTest extends SparkTestBase {

  private static final String TEACHER = """
      name: teacher-all
      kind: teacher
      datanets: [dermatology, contracts, agronomy]
      model: {hidden_size: 32, layers: 2, heads: 4, intermediate_size: 64, context: 96}
      optimizer: {learning_rate: 0.01}
      epochs: 2
      batch_size: 16
      seed: 3
      """;
  private static final String STUDENT = """
      name: student-all
      kind: student
      datanets: [dermatology, contracts, agronomy]
      model: {hidden_size: 16, layers: 1, heads: 2, intermediate_size: 32, context: 96}
      distill: {teacher: teacher-all, alpha: 0.5, temperature: 1.0}
      optimizer: {learning_rate: 0.01}
      epochs: 1
      seed: 3
      """;
  private static final String ADAPTER = """
      name: agronomy-adapter
      kind: adapter
      base: student-all
      owner: "0x00000000000000000000000000000000000000aa"
      datanets: [agronomy]
      lora: {rank: 4, alpha: 8, targets: [q_proj, v_proj]}
      optimizer: {learning_rate: 0.01}
      epochs: 1
      seed: 3
      features: {projection_dim: 8, seed: 5}
      """;

  private TrainingJob job() {
    return new TrainingJob(lakehouse, scratch.resolve("models").toString(), scratch.resolve("cache"), Progress.silent(), (s, n, l, t, sec) -> {});
  }

  @Test
  void trainsTeacherStudentAndAdapterWithLineage() throws Exception {
    Path landing = scratch.resolve("landing");
    SampleSubmissions.write(landing, 240, 6, 0.0, "2026-11-20", 1);
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(SampleSubmissions.DATANETS_YAML, "sample.yaml"));
    new SubmissionIngestJob(lakehouse).run(landing.resolve("landing").toUri());
    long records = lakehouse.read(Tables.RECORDS).count();
    long version = lakehouse.version(Tables.RECORDS);

    TrainingJob.Result teacher = job().run(TrainingSpec.parse(TEACHER, "teacher.yaml"));
    assertEquals(records, teacher.trainRecords() + teacher.heldoutRecords());
    assertTrue(teacher.heldoutRecords() > 0 && teacher.heldoutRecords() < records / 4, "held out: " + teacher.heldoutRecords());
    assertEquals(version, teacher.model().recordsVersion());
    assertTrue(teacher.finalLoss() < teacher.losses().get(0), "loss falls: " + teacher.losses());
    assertTrue(Files.exists(Path.of(java.net.URI.create(teacher.model().artifactUri())).resolve(ModelFiles.WEIGHTS)));

    TrainingJob.Result student = job().run(TrainingSpec.parse(STUDENT, "student.yaml"));
    assertEquals(teacher.model().modelId(), student.model().parentId().orElseThrow(), "a distilled student's parent is its teacher");
    assertTrue(student.model().metrics().get("heldout_kl_to_teacher") > 0);

    TrainingJob.Result adapter = job().run(TrainingSpec.parse(ADAPTER, "adapter.yaml"));
    ModelRow a = adapter.model();
    assertEquals(ModelKind.ADAPTER, a.kind());
    assertEquals(student.model().modelId(), a.parentId().orElseThrow());
    assertEquals("0x00000000000000000000000000000000000000AA".toLowerCase(), a.owner().orElseThrow().toLowerCase());

    // training_examples: exactly the agronomy records of that records version, split as reported.
    Set<String> agronomy = new HashSet<>(lakehouse.spark().read().format("delta").option("versionAsOf", version).load(lakehouse.path(Tables.RECORDS))
        .where("datanet = 'agronomy'").select("record_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    List<Row> examples = lakehouse.read(Tables.TRAINING_EXAMPLES).where("model_id = '" + a.modelId() + "'").collectAsList();
    assertEquals(agronomy, new HashSet<>(examples.stream().map(r -> r.<String>getAs("record_id")).toList()));
    long trainSplit = examples.stream().filter(r -> "train".equals(r.getAs("split"))).count();
    assertEquals(adapter.trainRecords(), trainSplit);

    // gradient_features: one row per training record, 2 layers × 2 modules × 8 dims, norms matching.
    List<Row> features = lakehouse.read(Tables.GRADIENT_FEATURES).where("model_id = '" + a.modelId() + "'").collectAsList();
    assertEquals(trainSplit, features.size());
    Row f = features.get(0);
    assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj"), f.getList(f.fieldIndex("modules")),
        "the student has 1 layer; q and v are adapted");
    List<Float> values = f.getList(f.fieldIndex("features"));
    List<Double> norms = f.getList(f.fieldIndex("module_sq_norms"));
    assertEquals(2 * 8, values.size());
    double first = 0;
    for (int i = 0; i < 8; i++) {
      first += values.get(i) * values.get(i);
    }
    assertEquals(norms.get(0), first, 1e-4 * Math.max(1, first));
    assertTrue(values.stream().anyMatch(v -> v != 0f), "features are not all zero");

    // Same spec, same records: the same model id, its rows replaced rather than duplicated.
    TrainingJob.Result again = job().run(TrainingSpec.parse(ADAPTER, "adapter.yaml"));
    assertEquals(a.modelId(), again.model().modelId());
    assertEquals(3, lakehouse.read(Tables.MODELS).count());
    assertEquals(examples.size(), lakehouse.read(Tables.TRAINING_EXAMPLES).where("model_id = '" + a.modelId() + "'").count());
    assertEquals(trainSplit, lakehouse.read(Tables.GRADIENT_FEATURES).where("model_id = '" + a.modelId() + "'").count());

    // A day of answers from the student and its adapter, in the log format the ingestion accepts.
    String retrieved = agronomy.iterator().next();
    Path prompts = Files.writeString(scratch.resolve("prompts.jsonl"), """
        {"prompt": "How should I rotate crops?", "adapter": "agronomy-adapter", "requester": "0x00000000000000000000000000000000000000bb"}
        {"prompt": "What is a tort?"}
        {"prompt": "When to irrigate wheat?", "adapter": "agronomy-adapter", "fee_wei": "7", "retrieved": [{"record_id": "%s", "score": 0.5}]}
        """.formatted(retrieved));
    Path logs = scratch.resolve("inference-logs/day.jsonl");
    GatewaySigner gateway = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0x7e57_6a7eL).shiftLeft(160).add(BigInteger.ONE)));
    new GatewayRegistry(lakehouse).register("test-gateway", gateway.address(), "");
    BatchInference.Summary answered = new BatchInference(lakehouse, scratch.resolve("cache"), gateway, Progress.silent()).run("student-all",
        List.of("agronomy-adapter"), prompts, logs, new BatchInference.Settings(16, 0f, 1f, 2, 1, java.math.BigInteger.valueOf(1000),
            java.time.Instant.parse("2026-11-23T08:00:00Z"), 60));
    assertEquals(3, answered.answers());
    assertEquals(java.util.Map.of(a.modelId(), 2, "(base)", 1), answered.byAdapter());
    List<String> lines = Files.readAllLines(logs);
    assertEquals(3, lines.size());
    assertTrue(lines.get(0).contains("\"adapter_id\":\"" + a.modelId() + "\"") && lines.get(1).contains("\"model_id\":\"" + student.model().modelId() + "\""),
        lines.toString());
    assertTrue(lines.get(2).contains("\"fee_wei\":\"7\"") && lines.get(0).contains("\"fee_wei\":\"1000\""), lines.toString());
    new InferenceIngestJob(lakehouse).run(logs.getParent().toUri());
    assertEquals(3, lakehouse.read(Tables.INFERENCES).count(), () -> "the ingestion accepts every logged answer: "
        + lakehouse.read(Tables.QUARANTINE).select("kind", "reasons").collectAsList() + lines);
    assertEquals(List.of(retrieved), lakehouse.read(Tables.INFERENCES).where("fee_wei = 7").select("retrieved.record_id").first().getList(0));
    for (org.apache.spark.sql.Row r : lakehouse.read(Tables.INFERENCES).collectAsList()) {
      assertTrue(r.<Integer>getAs("prompt_tokens") > r.<String>getAs("prompt").length(), "the prompt's tokens include the chat template: " + r);
      assertTrue(r.<Integer>getAs("output_tokens") > 0 && r.<Integer>getAs("output_tokens") <= 16, r.toString());
    }

    // With retrieval on a model whose context (96 bytes) holds no record beside the question: the
    // question goes alone, and the log says no record reached the model.
    ai.payable.core.artifacts.ArtifactStore store = ai.payable.core.artifacts.ArtifactStore.at(scratch.resolve("models").toString(),
        lakehouse.spark().sparkContext().hadoopConfiguration());
    new ai.payable.training.retrieval.RecordIndex(lakehouse, store, scratch.resolve("staging"), Progress.silent()).build("agronomy");
    Path asked = Files.writeString(scratch.resolve("asked.jsonl"), "{\"prompt\": \"How should I rotate crops?\", \"adapter\": \"agronomy-adapter\"}\n");
    BatchInference grounded = new BatchInference(lakehouse, scratch.resolve("cache"), store, gateway, Progress.silent());
    BatchInference.Settings retrieving = new BatchInference.Settings(8, 0f, 1f, 2, 1, java.math.BigInteger.ONE, java.time.Instant.parse("2026-11-24T08:00:00Z"),
        60, 3);
    grounded.run("student-all", List.of("agronomy-adapter"), asked, scratch.resolve("grounded/day.jsonl"), retrieving);
    String groundedLine = Files.readAllLines(scratch.resolve("grounded/day.jsonl")).get(0);
    assertTrue(groundedLine.contains("\"retrieved\":[]") && groundedLine.contains("\"prompt_tokens\":" + lines.get(0).replaceAll(".*\"prompt_tokens\":(\\d+).*", "$1")),
        groundedLine);
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> grounded.run("student-all", List.of("agronomy-adapter"), prompts,
        scratch.resolve("grounded/again.jsonl"), retrieving));
    assertTrue(both.getMessage().contains("prompts.jsonl:3: field retrieved"), both.getMessage());

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> job().run(TrainingSpec.parse(ADAPTER.replace("[agronomy]", "[astrology]"), "bad.yaml")));
    assertTrue(unknown.getMessage().contains("unknown DataNet 'astrology'"), unknown.getMessage());
  }
}
