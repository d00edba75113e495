package ai.payable.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.payable.training.chat.ChatFormat;
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
      trained.adaptedProjections().forEach(p -> p.loraB().getArray().set(ai.payable.training.model.Initializers.normal(1f).initialize(manager, p.loraB().getArray().getShape(), ai.djl.ndarray.types.DataType.FLOAT32).toFloatArray()));
      ModelFiles.writeBase(trained, dir.resolve("base"), null);
      ModelFiles.writeAdapter(trained, "/models/base-1", dir.resolve("adapter"));

      SafeTensors base = SafeTensors.open(dir.resolve("base/model.safetensors"));
      assertEquals(Map.of("format", "pt"), base.metadata());
      assertEquals(1 + 2 * 9 + 1 + 1, base.entries().size(), "embed, 9 per layer, norm, lm_head: " + base.entries().keySet());
      assertArrayEquals(new long[] {32, 32}, base.entry("model.layers.1.self_attn.q_proj.weight").shape());
      assertArrayEquals(new long[] {64, 32}, base.entry("model.layers.0.mlp.gate_proj.weight").shape());
      assertTrue(base.entries().containsKey("lm_head.weight") && base.entries().containsKey("model.norm.weight"));
      // DJL's own safetensors reader agrees with ours.
      try (InputStream in = Files.newInputStream(dir.resolve("base/model.safetensors"))) {
        NDList djl = NDList.decode(manager, in);
        NDArray embed = djl.stream().filter(a -> "model.embed_tokens.weight".equals(a.getName())).findFirst().orElseThrow();
        assertArrayEquals(base.read("model.embed_tokens.weight").data(), embed.toFloatArray());
      }

      JsonNode config = new ObjectMapper().readTree(dir.resolve("base/config.json").toFile());
      assertEquals("LlamaForCausalLM", config.get("architectures").get(0).asText());
      assertEquals(TINY, Checkpoint.open(dir.resolve("base")).config());
      try (ChatFormat format = ChatFormat.open(dir.resolve("base"), ByteTokenizer.VOCAB_SIZE)) {
        assertEquals(ChatFormat.bytes().specials().toString(), format.specials().toString());
        assertArrayEquals(ChatFormat.bytes().prompt("Hi there"), format.prompt("Hi there"), "the written tokenizer files give the training layout");
        assertArrayEquals(ChatFormat.bytes().answer("Hi", "Hello!").tokens(), format.answer("Hi", "Hello!").tokens());
      }
      JsonNode peft = new ObjectMapper().readTree(dir.resolve("adapter/adapter_config.json").toFile());
      assertEquals("LORA", peft.get("peft_type").asText());
      assertEquals("CAUSAL_LM", peft.get("task_type").asText());
      assertEquals(2, peft.get("r").asInt());
      assertEquals("/models/base-1", peft.get("base_model_name_or_path").asText());
      SafeTensors adapter = SafeTensors.open(dir.resolve("adapter/adapter_model.safetensors"));
      assertEquals(Map.of("format", "pt"), adapter.metadata());
      assertArrayEquals(new long[] {2, 32}, adapter.entry("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").shape());
      assertArrayEquals(new long[] {32, 2}, adapter.entry("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight").shape());
      assertEquals(2 * 2 * 2, adapter.entries().size());

      LlamaModel loaded = ModelFiles.load(manager, dir.resolve("base"), dir.resolve("adapter"));
      assertArrayEquals(logits(manager, trained), logits(manager, loaded));

      Path narrow = dir.resolve("narrow");
      Files.createDirectories(narrow);
      Files.copy(dir.resolve("base/model.safetensors"), narrow.resolve("model.safetensors"));
      new ObjectMapper().writeValue(narrow.resolve("config.json").toFile(), LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 16, 2, 4, 64, 64).toHuggingFace(256, 257, 258));
      IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> Checkpoint.open(narrow).validate());
      assertTrue(mismatch.getMessage().contains("model.safetensors: model.embed_tokens.weight has shape [259, 32] but config.json implies (259, 16)"),
          mismatch.getMessage());
    }
  }

  @Test
  void unsupportedPeftOptionsAreRefusedByName() throws Exception {
    Path adapter = dir.resolve("peft");
    Files.createDirectories(adapter);
    String base = "{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"target_modules\": [\"q_proj\"]";
    Files.writeString(adapter.resolve("adapter_config.json"), base + ", \"use_dora\": true, \"rank_pattern\": {\"q_proj\": 8}}");
    String refused = assertThrows(java.io.IOException.class, () -> ModelFiles.readAdapterConfig(adapter)).getMessage();
    assertTrue(refused.endsWith("adapter_config.json: PEFT options not supported here: use_dora: true (DoRA); rank_pattern {\"q_proj\":8} (per-module ranks or alphas)"),
        refused);
    Files.writeString(adapter.resolve("adapter_config.json"), base + ", \"use_rslora\": true, \"lora_dropout\": 0.1}");
    LoraSettings rs = ModelFiles.readAdapterConfig(adapter);
    assertEquals(8 / 2f, rs.scale(), 1e-6, "rsLoRA scales by alpha / sqrt(r)");
    assertEquals(0.1f, rs.dropout(), 1e-6);
    Files.writeString(adapter.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"target_modules\": \"all-linear\"}");
    assertEquals(LoraSettings.PROJECTIONS, ModelFiles.readAdapterConfig(adapter).targets());
  }

  @Test
  void huggingFaceTokenizersReadsOurTokenizerJsonWithTheSameIds() throws Exception {
    Path file = dir.resolve("tokenizer.json");
    new ObjectMapper().writeValue(file.toFile(), new ByteTokenizer().huggingFaceJson());
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file)) {
      for (String text : List.of("plain ascii text", "héllo wörld ✓ — naïve café", "tabs\tand\nnewlines  ", "日本語のテキスト", "<s>q\na</s><pad> <s <x>")) {
        Encoding e = hf.encode(text, false, false);
        int[] ours = new ByteTokenizer().encode(text);
        assertArrayEquals(Arrays.stream(ours).asLongStream().toArray(), e.getIds(), text);
        assertEquals(text.replace("<s>", "").replace("</s>", "").replace("<pad>", ""), hf.decode(Arrays.stream(ours).asLongStream().toArray(), true));
      }
    }
  }
}
