package ai.payable.training.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.types.DataType;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One base with swapped adapters gives exactly what each adapter gives on its own. */
class AdapterSlotsTest {

  private static final LlamaConfig TINY = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64);
  @TempDir Path dir;

  private static LlamaModel adapter(NDManager manager, Path base, LoraSettings lora, long seed) throws Exception {
    Engines.seed(seed);
    LlamaModel m = new LlamaModel(TINY, lora);
    m.initialize(manager, DataType.FLOAT32, Checkpoint.open(base));
    m.adaptedProjections().forEach(p -> p.loraB().getArray().set(manager.randomNormal(0, 0.5f, p.loraB().getArray().getShape(),
        ai.djl.ndarray.types.DataType.FLOAT32).toFloatArray()));
    return m;
  }

  private static float[] logits(NDManager manager, LlamaModel model) {
    try (NDManager scope = manager.newSubManager()) {
      return model.forward(new ParameterStore(scope, false), new NDList(scope.create(new long[] {256, 72, 105, 10, 65}, new Shape(1, 5))), false)
          .singletonOrThrow().toFloatArray();
    }
  }

  private static Generator.Settings sampling(float temperature, long seed) {
    return new Generator.Settings(12, temperature, 1f, seed, List.of(), true);
  }

  @Test
  void swappedAdaptersMatchTheirOwnModels() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engines.seed(1);
      LlamaModel base = new LlamaModel(TINY, null);
      base.initialize(manager);
      ModelFiles.writeBase(base, dir.resolve("base"), null);
      LlamaModel a = adapter(manager, dir.resolve("base"), new LoraSettings(2, 4f, List.of("q_proj", "v_proj")), 2);
      LlamaModel b = adapter(manager, dir.resolve("base"), new LoraSettings(6, 3f, List.of("o_proj", "down_proj", "up_proj")), 3);
      ModelFiles.writeAdapter(a, "base", dir.resolve("a"));
      ModelFiles.writeAdapter(b, "base", dir.resolve("b"));

      AdapterSlots slots = new AdapterSlots(manager, dir.resolve("base"), Map.of("a", dir.resolve("a"), "b", dir.resolve("b")));
      assertEquals(List.of("a", "b"), slots.adapters());
      assertArrayEquals(logits(manager, base), logits(manager, slots.model()), 1e-5f);
      slots.use("b");
      assertArrayEquals(logits(manager, b), logits(manager, slots.model()), 1e-5f);
      slots.use("a");
      assertArrayEquals(logits(manager, a), logits(manager, slots.model()), 1e-5f);
      slots.use(AdapterSlots.BASE);
      assertArrayEquals(logits(manager, base), logits(manager, slots.model()), 1e-5f);
      assertThrows(IllegalArgumentException.class, () -> slots.use("c"));

      Generator generator = new Generator(slots.model(), ChatFormat.bytes(), manager);
      int[] prompt = ChatFormat.bytes().prompt("Hi");
      int[] greedy = generator.generate(prompt, sampling(0f, 1)).tokens();
      assertArrayEquals(greedy, generator.generate(prompt, sampling(0f, 2)).tokens(), "greedy ignores the seed");
      assertArrayEquals(generator.generate(prompt, sampling(1f, 5)).tokens(), generator.generate(prompt, sampling(1f, 5)).tokens());
      assertTrue(greedy.length <= 12);
    }
  }
}
