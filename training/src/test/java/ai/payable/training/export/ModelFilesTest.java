package ai.payable.training.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.tokenizer.ByteTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Base models and adapters round-trip through the Hugging Face / PEFT files, which other readers accept. */
class ModelFilesTest {

  private static final LlamaConfig TINY = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64);
  @TempDir Path dir;

  private static LlamaModel model(NDManager manager, LoraSettings lora, int seed) {
    Engines.seed(seed);
    LlamaModel m = new LlamaModel(TINY, lora);
    m.initialize(manager);
    return m;
  }

  private static float[] logits(NDManager manager, LlamaModel model) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray ids = scope.create(new long[] {256, 104, 105, 33}, new ai.djl.ndarray.types.Shape(1, 4));
      return model.forward(new ai.djl.training.ParameterStore(scope, false), new NDList(ids), false).singletonOrThrow().toFloatArray();
    }
  }

  @Test
  void baseAndAdapterRoundTripInHuggingFaceLayouts() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      LoraSettings lora = new LoraSettings(2, 4f, List.of("q_proj", "v_proj"));
      LlamaModel trained = model(manager, lora, 1);
      // Give the adapter non-zero B so the round trip is visible in the logits.
      trained.adaptedProjections().forEach(p -> p.loraB().getArray().set(manager.randomNormal(p.loraB().getArray().getShape()).toFloatArray()));
      ModelFiles.writeBase(trained, dir.resolve("base"));
      ModelFiles.writeAdapter(trained, "payable/base-1", dir.resolve("adapter"));

      SafeTensors.Contents base = SafeTensors.read(dir.resolve("base/model.safetensors"));
      assertEquals(Map.of("format", "pt"), base.metadata());
      assertEquals(1 + 2 * 9 + 1 + 1, base.tensors().size(), "embed, 9 per layer, norm, lm_head: " + base.tensors().keySet());
      assertArrayEquals(new long[] {32, 32}, base.tensors().get("model.layers.1.self_attn.q_proj.weight").shape());
      assertArrayEquals(new long[] {64, 32}, base.tensors().get("model.layers.0.mlp.gate_proj.weight").shape());
      assertTrue(base.tensors().containsKey("lm_head.weight") && base.tensors().containsKey("model.norm.weight"));
      // DJL's own safetensors reader agrees with ours.
      try (InputStream in = Files.newInputStream(dir.resolve("base/model.safetensors"))) {
        NDList djl = NDList.decode(manager, in);
        NDArray embed = djl.stream().filter(a -> "model.embed_tokens.weight".equals(a.getName())).findFirst().orElseThrow();
        assertArrayEquals(base.tensors().get("model.embed_tokens.weight").data(), embed.toFloatArray());
      }

      JsonNode config = new ObjectMapper().readTree(dir.resolve("base/config.json").toFile());
      assertEquals("LlamaForCausalLM", config.get("architectures").get(0).asText());
      assertEquals(TINY, ModelFiles.readConfig(dir.resolve("base")));
      JsonNode peft = new ObjectMapper().readTree(dir.resolve("adapter/adapter_config.json").toFile());
      assertEquals("LORA", peft.get("peft_type").asText());
      assertEquals("CAUSAL_LM", peft.get("task_type").asText());
      assertEquals(2, peft.get("r").asInt());
      assertEquals("payable/base-1", peft.get("base_model_name_or_path").asText());
      SafeTensors.Contents adapter = SafeTensors.read(dir.resolve("adapter/adapter_model.safetensors"));
      assertEquals(Map.of("format", "pt"), adapter.metadata());
      assertArrayEquals(new long[] {2, 32}, adapter.tensors().get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").shape());
      assertArrayEquals(new long[] {32, 2}, adapter.tensors().get("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight").shape());
      assertEquals(2 * 2 * 2, adapter.tensors().size());

      LlamaModel loaded = model(manager, ModelFiles.readAdapterConfig(dir.resolve("adapter")), 99);
      ModelFiles.loadBase(loaded, dir.resolve("base"));
      ModelFiles.loadAdapter(loaded, dir.resolve("adapter"));
      assertArrayEquals(logits(manager, trained), logits(manager, loaded));

      LlamaModel wrongShape = new LlamaModel(LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 16, 2, 4, 64, 64), null);
      wrongShape.initialize(manager);
      IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> ModelFiles.loadBase(wrongShape, dir.resolve("base")));
      assertTrue(mismatch.getMessage().contains("model.embed_tokens.weight has shape [259, 32] but the model expects [259, 16]"), mismatch.getMessage());
    }
  }

  @Test
  void huggingFaceTokenizersReadsOurTokenizerJsonWithTheSameIds() throws Exception {
    Path file = dir.resolve("tokenizer.json");
    new ObjectMapper().writeValue(file.toFile(), new ByteTokenizer().huggingFaceJson());
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file)) {
      for (String text : List.of("plain ascii text", "héllo wörld ✓ — naïve café", "tabs\tand\nnewlines  ", "日本語のテキスト")) {
        Encoding e = hf.encode(text);
        int[] ours = new ByteTokenizer().encode(text, false, 10_000);
        assertArrayEquals(Arrays.stream(ours).asLongStream().toArray(), e.getIds(), text);
        assertEquals(text, hf.decode(Arrays.stream(ours).asLongStream().toArray(), true));
      }
    }
  }
}
