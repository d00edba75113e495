package ai.payable.training.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.checkpoint.SafeTensors;
import ai.payable.training.engine.Engines;
import ai.payable.training.infer.Generator;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.reference.HuggingFaceReference;
import ai.payable.training.registry.ModelImport;
import ai.payable.training.spec.TrainingSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The training stage on a real pretrained model (SmolLM2 cut to its first four layers, with its
 * real tokenizer and chat template, to stay fast on a CPU): import, LoRA adapters that PEFT loads
 * with the same logits and greedy answers, two adapters trained as parallel Spark tasks, a student
 * derived from its teacher's layers and distilled from the teacher with its adapter on, which
 * transformers loads with the same logits, and an adapter on that student.
 */
class PretrainedModelTrainingTest extends SparkTestBase {

  private static final String ADAPTER = """
      name: agronomy-smol
      kind: adapter
      base: smol4
      owner: "0x00000000000000000000000000000000000000aa"
      datanets: [agronomy]
      lora: {rank: 4, alpha: 8, targets: all-linear}
      optimizer: {learning_rate: 0.002}
      schedule: {warmup_steps: 2}
      epochs: 2
      batch_size: 8
      max_length: 192
      seed: 3
      features: {projection_dim: 8, seed: 5}
      """;
  private static final String STUDENT = """
      name: smol-student
      kind: student
      datanets: [dermatology, contracts, agronomy]
      init: {keep_every: 2}
      distill: {teacher: smol4, teacher_adapter: agronomy-smol, alpha: 0.5, temperature: 2.0}
      optimizer: {learning_rate: 0.0005}
      schedule: {warmup_steps: 2}
      epochs: 1
      batch_size: 8
      max_length: 160
      seed: 3
      """;

  private TrainingJob job() {
    return new TrainingJob(lakehouse, scratch.resolve("models").toString(), scratch.resolve("cache"), Progress.silent(), (s, n, l, t, sec) -> {});
  }

  @Test
  void adaptersAndStudentsOnAPretrainedBaseAgreeWithPeftAndTransformers() throws Exception {
    Path landing = scratch.resolve("landing");
    SampleSubmissions.write(landing, 90, 6, 0.0, "2026-11-20", 1);
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(SampleSubmissions.DATANETS_YAML, "sample.yaml"));
    new SubmissionIngestJob(lakehouse).run(landing.resolve("landing").toUri());

    Path truncated = HuggingFaceReference.truncatedSmolLM2(scratch.resolve("smol4"), 4);
    ModelRow base = new ModelImport(lakehouse, scratch.resolve("models").toString(), Progress.silent()).run(truncated, Optional.empty());
    assertEquals(ModelKind.BASE, base.kind());
    assertEquals("smol4", base.name());
    assertEquals(4.0, base.metrics().get("layers"));
    ModelRow again = new ModelImport(lakehouse, scratch.resolve("models").toString(), Progress.silent()).run(truncated, Optional.empty());
    assertEquals(base.modelId(), again.modelId(), "the same files import as the same model");

    // An adapter on the pretrained base: it learns, PEFT's files name the base's folder, and PEFT loads it.
    TrainingJob.Result adapter = job().run(TrainingSpec.parse(ADAPTER, "adapter.yaml"));
    assertTrue(adapter.finalLoss() < adapter.losses().get(0), "the adapter learns: " + adapter.losses());
    Path adapterDir = Path.of(java.net.URI.create(adapter.model().artifactUri()));
    Path baseDir = Path.of(java.net.URI.create(base.artifactUri()));
    assertEquals(baseDir.toString(), ModelFiles.adapterBase(adapterDir));
    assertEquals(4 * 7 * 2, SafeTensors.open(adapterDir.resolve(ModelFiles.ADAPTER_WEIGHTS)).entries().size(), "A and B of 7 projections in 4 layers");
    List<org.apache.spark.sql.Row> features = lakehouse.read(Tables.GRADIENT_FEATURES).where("model_id = '" + adapter.model().modelId() + "'").collectAsList();
    assertEquals(adapter.trainRecords(), features.size());
    assertEquals(4 * 7 * 8, features.get(0).getList(features.get(0).fieldIndex("features")).size());
    agreesWithReference(baseDir, adapterDir, 16);
    retrievedRecordsReachThePrompt(base.name(), landing.resolve(SampleSubmissions.QUESTIONS));

    // Two adapters at once: one Spark task each, both registered with their lineage.
    List<TrainingJob.Result> both = job().runAll(List.of(
        TrainingSpec.parse(ADAPTER.replace("agronomy-smol", "derm-smol").replace("[agronomy]", "[dermatology]").replace("epochs: 2", "epochs: 1"), "a.yaml"),
        TrainingSpec.parse(ADAPTER.replace("agronomy-smol", "law-smol").replace("[agronomy]", "[contracts]").replace("epochs: 2", "epochs: 1"), "b.yaml")));
    assertEquals(List.of("derm-smol", "law-smol"), both.stream().map(r -> r.model().name()).toList());
    for (TrainingJob.Result r : both) {
      assertEquals(base.modelId(), r.model().parentId().orElseThrow());
      assertEquals(r.trainRecords(), lakehouse.read(Tables.GRADIENT_FEATURES).where("model_id = '" + r.model().modelId() + "'").count());
      assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(r.model().artifactUri())).resolve(ModelFiles.ADAPTER_WEIGHTS)));
    }

    // A student keeping every other layer of its teacher, distilled from it.
    TrainingJob.Result student = job().run(TrainingSpec.parse(STUDENT, "student.yaml"));
    Path studentDir = Path.of(java.net.URI.create(student.model().artifactUri()));
    assertEquals(2, Checkpoint.open(studentDir).config().layers());
    assertEquals(base.modelId(), student.model().parentId().orElseThrow());
    assertTrue(student.model().metrics().get("heldout_kl_to_teacher") > 0);
    for (String f : List.of(ChatFormat.TOKENIZER, ChatFormat.TOKENIZER_CONFIG, ChatFormat.CHAT_TEMPLATE, ChatFormat.GENERATION_CONFIG)) {
      assertTrue(Files.isRegularFile(studentDir.resolve(f)), "the student keeps its teacher's " + f);
    }
    agreesWithReference(studentDir, null, 8);

    // The student is a base like any other: an adapter trains on it.
    TrainingJob.Result onStudent = job().run(TrainingSpec.parse(ADAPTER.replace("agronomy-smol", "agronomy-on-student").replace("base: smol4", "base: smol-student")
        .replace("epochs: 2", "epochs: 1"), "on-student.yaml"));
    assertEquals(student.model().modelId(), onStudent.model().parentId().orElseThrow());
    assertEquals(2 * 7 * 2, SafeTensors.open(Path.of(java.net.URI.create(onStudent.model().artifactUri())).resolve(ModelFiles.ADAPTER_WEIGHTS)).entries().size());
  }

  /** Our logits and greedy answers for two questions equal transformers' (and PEFT's, with an adapter) on the same files. */
  /**
   * With {@code --retrieve}, the agronomy adapter's questions carry the best-matching agronomy
   * records into the prompt (the log names them, best first), and questions to the base carry none.
   */
  private void retrievedRecordsReachThePrompt(String baseName, Path questions) throws Exception {
    var hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    var store = ai.payable.core.artifacts.ArtifactStore.at(scratch.resolve("models").toString(), hadoop);
    new ai.payable.training.retrieval.RecordIndex(lakehouse, store, scratch.resolve("staging"), Progress.silent()).build("agronomy");
    String question = java.nio.file.Files.readAllLines(questions).stream()
        .filter(l -> l.contains("\"datanet\":\"agronomy\"")).findFirst().orElseThrow();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var q = json.readTree(question);
    Path prompts = java.nio.file.Files.writeString(scratch.resolve("asked.jsonl"), json.createObjectNode().put("prompt", q.get("question").asText())
        .put("adapter", "agronomy-smol") + "\n" + json.createObjectNode().put("prompt", q.get("question").asText()) + "\n");
    var gateway = new ai.payable.core.inference.GatewaySigner(org.web3j.crypto.ECKeyPair.create(java.math.BigInteger.valueOf(0x5a1e).shiftLeft(170).add(
        java.math.BigInteger.ONE)));
    var inference = new ai.payable.training.infer.BatchInference(lakehouse, scratch.resolve("cache"), store, gateway, Progress.silent());
    var start = java.time.Instant.parse("2026-11-24T08:00:00Z");
    inference.run(baseName, List.of("agronomy-smol"), prompts, scratch.resolve("logs/plain.jsonl"),
        new ai.payable.training.infer.BatchInference.Settings(4, 0f, 1f, 2, 1, java.math.BigInteger.ONE, start, 60, 0));
    inference.run(baseName, List.of("agronomy-smol"), prompts, scratch.resolve("logs/grounded.jsonl"),
        new ai.payable.training.infer.BatchInference.Settings(4, 0f, 1f, 2, 1, java.math.BigInteger.ONE, start, 60, 3));
    var plain = json.readTree(java.nio.file.Files.readAllLines(scratch.resolve("logs/plain.jsonl")).get(0));
    List<String> grounded = java.nio.file.Files.readAllLines(scratch.resolve("logs/grounded.jsonl"));
    var withRecords = json.readTree(grounded.get(0));
    assertEquals(3, withRecords.get("retrieved").size(), grounded.get(0));
    assertEquals(q.get("record_id").asText(), withRecords.get("retrieved").get(0).get("record_id").asText(), "the owner's record ranks first");
    assertEquals(List.of(1, 2, 3), java.util.stream.StreamSupport.stream(withRecords.get("retrieved").spliterator(), false).map(h -> h.get("rank").asInt()).toList());
    assertTrue(withRecords.get("prompt_tokens").asInt() > plain.get("prompt_tokens").asInt() + 60, "the records are in the prompt: " + grounded.get(0));
    assertEquals(0, json.readTree(grounded.get(1)).get("retrieved").size(), "the base model has no DataNet to retrieve from");
  }

  private void agreesWithReference(Path model, Path adapter, int newTokens) throws Exception {
    List<String> questions = List.of("How should I rotate crops on a small farm?", "What does a dermatologist treat?");
    HuggingFaceReference.writeJson(scratch.resolve("requests.json"),
        questions.stream().map(q -> Map.of("messages", List.of(Map.of("role", "user", "content", q)))).toList());
    Path out = scratch.resolve("reference-" + model.getFileName());
    if (adapter == null) {
      HuggingFaceReference.run("generate", "--model", model.toString(), "--requests", scratch.resolve("requests.json").toString(), "--out", out.toString(),
          "--new-tokens", String.valueOf(newTokens));
    } else {
      HuggingFaceReference.run("generate", "--model", model.toString(), "--adapter", adapter.toString(), "--requests",
          scratch.resolve("requests.json").toString(), "--out", out.toString(), "--new-tokens", String.valueOf(newTokens));
    }
    JsonNode results = HuggingFaceReference.json(Path.of(out + ".json")).path("results");
    SafeTensors logits = SafeTensors.open(Path.of(out + ".safetensors"));
    Engines.Scope noGrad = Engines.noGradients();
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice()); ChatFormat format = ChatFormat.open(model, Checkpoint.open(model).config().vocabSize())) {
      LlamaModel llama = ModelFiles.load(manager, model, adapter);
      for (int i = 0; i < questions.size(); i++) {
        int[] ids = format.prompt(questions.get(i));
        float[] expected = logits.read("logits." + i).data();
        NDArray ours = llama.forward(new ParameterStore(manager, false), new NDList(manager.create(Arrays.stream(ids).asLongStream().toArray(),
            new Shape(1, ids.length))), false).singletonOrThrow().get(new NDIndex("0, -1, :"));
        float[] actual = ours.toFloatArray();
        double worst = 0;
        for (int v = 0; v < actual.length; v++) {
          worst = Math.max(worst, Math.abs(actual[v] - expected[v]));
        }
        assertTrue(worst <= 1e-3, model.getFileName() + (adapter == null ? "" : " + adapter") + ", question " + i + ": logits differ by " + worst);
        Generator.Output answer = new Generator(llama, format, manager).generate(ids, Generator.Settings.greedy(newTokens));
        int[] greedy = HuggingFaceReferenceIds.untilStop(results.get(i).path("greedy"), format);
        assertArrayEquals(greedy, answer.tokens(), "greedy answer " + i + ": " + answer.text() + " vs " + results.get(i).path("text").asText());
      }
    } finally {
      noGrad.close();
    }
  }

  /** A reference answer's ids up to its end-of-turn token. */
  private static final class HuggingFaceReferenceIds {
    static int[] untilStop(JsonNode ids, ChatFormat format) {
      int[] all = new int[ids.size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = ids.get(i).asInt();
      }
      int stop = 0;
      while (stop < all.length && !format.specials().stops(all[stop])) {
        stop++;
      }
      return Arrays.copyOf(all, stop);
    }
  }
}
