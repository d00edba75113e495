package ai.payable.training.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.payable.training.engine.Engines;
import ai.payable.training.export.ModelFiles;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One base with swapped adapters gives exactly what each adapter gives on its own. */
class AdapterSlotsTest {

  private static final LlamaConfig TINY = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64);
  @TempDir Path dir;

  private static LlamaModel adapter(NDManager manager, Path base, LoraSettings lora, long seed) throws Exception {
    Engines.seed(seed);
    LlamaModel m = new LlamaModel(TINY, lora);
    m.initialize(manager);
    ModelFiles.loadBase(m, base);
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

  @Test
  void swappedAdaptersMatchTheirOwnModels() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engines.seed(1);
      LlamaModel base = new LlamaModel(TINY, null);
      base.initialize(manager);
      ModelFiles.writeBase(base, dir.resolve("base"));
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

      Generator generator = new Generator(slots.model(), manager);
      int[] prompt = new ByteTokenizer().encode("Hi\n", false, 64);
      int[] greedy = generator.generate(prompt, 12, 0f, new SplittableRandom(1));
      assertArrayEquals(greedy, generator.generate(prompt, 12, 0f, new SplittableRandom(2)), "greedy ignores the seed");
      assertArrayEquals(generator.generate(prompt, 12, 1f, new SplittableRandom(5)), generator.generate(prompt, 12, 1f, new SplittableRandom(5)));
      assertTrue(greedy.length <= 12);
    }
  }
}
