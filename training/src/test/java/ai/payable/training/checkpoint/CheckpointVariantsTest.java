package ai.payable.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.payable.training.engine.Engines;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.reference.HuggingFaceReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every config variant the importer accepts gives the logits transformers gives on the same files
 * (tiny random Llama checkpoints written by transformers itself), and every variant it cannot
 * honour is refused at open or validation, naming the file, field or tensor.
 */
class CheckpointVariantsTest {

  @TempDir static Path work;
  private static Path variants;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void writeVariants() throws Exception {
    variants = work.resolve("variants");
    HuggingFaceReference.run("variants", "--out", variants.toString());
  }

  /** Largest |ours − transformers| over every position's logits, for the model in {@code dir} and the reference of {@code variant}. */
  private static double difference(Path dir, String variant) throws IOException {
    int[] ids = ids(variant);
    float[] expected = SafeTensors.open(variants.resolve(variant).resolve("reference-logits.safetensors")).read("logits").data();
    Engines.Scope noGrad = Engines.noGradients();
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      LlamaModel model = ModelFiles.load(manager, dir, null);
      long[] wide = java.util.Arrays.stream(ids).asLongStream().toArray();
      NDArray logits = model.forward(new ParameterStore(manager, false), new NDList(manager.create(wide, new Shape(1, ids.length))), false)
          .singletonOrThrow();
      float[] actual = logits.toType(DataType.FLOAT32, false).toFloatArray();
      assertEquals(expected.length, actual.length, dir + ": logits size");
      double worst = 0;
      for (int i = 0; i < actual.length; i++) {
        worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
      }
      return worst;
    } finally {
      noGrad.close();
    }
  }

  private static int[] ids(String variant) throws IOException {
    JsonNode node = HuggingFaceReference.json(variants.resolve("variants.json")).path(variant).path("ids");
    int[] ids = new int[node.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = node.get(i).asInt();
    }
    return ids;
  }

  @Test
  void everySupportedVariantMatchesTransformers() throws IOException {
    List<String> names = new ArrayList<>();
    HuggingFaceReference.json(variants.resolve("variants.json")).fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("plain", "gqa-tied", "mqa", "biases", "rope-parameters", "rope-linear", "rope-llama3", "gelu", "head-dim", "bf16", "f16", "sharded"),
        names);
    for (String name : names) {
      double d = difference(variants.resolve(name), name);
      assertTrue(d <= 1e-4, name + ": logits differ from transformers by " + d);
    }
  }

  @Test
  void olderConfigsWithTopLevelRopeThetaLoadAlike() throws IOException {
    Path dir = copy("rope-parameters", "legacy");
    ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    double theta = c.path("rope_parameters").path("rope_theta").asDouble();
    c.remove("rope_parameters");
    c.put("rope_theta", theta);
    JSON.writeValue(dir.resolve("config.json").toFile(), c);
    assertTrue(difference(dir, "rope-parameters") <= 1e-4);
  }

  @Test
  void tensorsOverOneMappingLoadInRowBlocks() throws IOException {
    long saved = SafeTensors.maxBlockBytes;
    SafeTensors.maxBlockBytes = 1000;
    try {
      assertTrue(difference(variants.resolve("plain"), "plain") <= 1e-4);
      assertTrue(difference(variants.resolve("bf16"), "bf16") <= 1e-4);
    } finally {
      SafeTensors.maxBlockBytes = saved;
    }
  }

  @Test
  void unsupportedConfigsAreRefusedByName() throws IOException {
    assertEquals("config.json: model_type = \"qwen2\" is not supported; this importer reads Llama-family checkpoints (model_type \"llama\", e.g. Llama 2/3, SmolLM, TinyLlama)",
        refusal(edit("plain", "qwen", c -> c.put("model_type", "qwen2"))));
    assertEquals("config.json: RoPE scaling \"yarn\" is not implemented (supported: default, linear, llama3); a model using it would compute wrong positions",
        refusal(edit("plain", "yarn", c -> ((ObjectNode) c.path("rope_parameters")).put("rope_type", "yarn").put("factor", 4.0))));
    assertEquals("config.json: hidden_act = \"mish\" is not supported; supported: silu, swish, gelu, gelu_pytorch_tanh, gelu_new, relu",
        refusal(edit("plain", "mish", c -> c.put("hidden_act", "mish"))));
    assertEquals("config.json: num_key_value_heads (must divide num_attention_heads 6) = 4 is not valid",
        refusal(edit("plain", "kv4", c -> c.put("num_key_value_heads", 4))));
  }

  @Test
  void weightsThatDisagreeWithTheConfigAreRefusedAtValidation() throws IOException {
    String biases = validation(edit("biases", "biases-off", c -> c.put("attention_bias", false)));
    assertTrue(biases.contains("unexpected tensor model.layers.0.self_attn.q_proj.bias") && biases.contains("attention_bias/mlp_bias say there are no biases"),
        biases);
    String heads = validation(edit("plain", "fewer-kv", c -> c.put("num_key_value_heads", 3)));
    assertTrue(heads.contains("model.safetensors: model.layers.0.self_attn.k_proj.weight has shape [48, 48] but config.json implies (24, 48)"), heads);
    String missing = validation(edit("plain", "untied", c -> c.put("tie_word_embeddings", false).put("num_hidden_layers", 3)));
    assertTrue(missing.contains("missing tensor model.layers.2.self_attn.q_proj.weight (48, 48)"), missing);
  }

  private interface Edit {
    void apply(ObjectNode config);
  }

  private static Path edit(String from, String to, Edit edit) throws IOException {
    Path dir = copy(from, to);
    ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    edit.apply(c);
    JSON.writeValue(dir.resolve("config.json").toFile(), c);
    return dir;
  }

  private static Path copy(String from, String to) throws IOException {
    Path dir = work.resolve("edited").resolve(to);
    Files.createDirectories(dir);
    try (var files = Files.list(variants.resolve(from))) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    return dir;
  }

  private static String refusal(Path dir) {
    String m = assertThrows(IllegalArgumentException.class, () -> Checkpoint.open(dir)).getMessage();
    return m.replace(dir.resolve("config.json").toString(), "config.json");
  }

  private static String validation(Path dir) throws IOException {
    Checkpoint c = Checkpoint.open(dir);
    return assertThrows(IllegalArgumentException.class, c::validate).getMessage();
  }
}
