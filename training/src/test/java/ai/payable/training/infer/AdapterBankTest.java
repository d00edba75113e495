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

/** One base serving rows of different adapters in one batch gives each row exactly what its adapter gives on its own. */
class AdapterBankTest {

  private static final LlamaConfig TINY = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64);
  @TempDir Path dir;

  private static LlamaModel adapter(NDManager manager, Path base, LoraSettings lora, long seed) throws Exception {
    Engines.seed(seed);
    LlamaModel m = new LlamaModel(TINY, lora);
    m.initialize(manager, DataType.FLOAT32, Checkpoint.open(base));
    m.adaptedProjections().forEach(p -> p.loraB().getArray().set(ai.payable.training.model.Initializers.normal(0.5f).initialize(manager, p.loraB().getArray().getShape(),
        ai.djl.ndarray.types.DataType.FLOAT32).toFloatArray()));
    return m;
  }

  private static float[] logits(NDManager manager, LlamaModel model, long[][] rows) {
    try (NDManager scope = manager.newSubManager()) {
      long[] flat = java.util.Arrays.stream(rows).flatMapToLong(java.util.Arrays::stream).toArray();
      return model.forward(new ParameterStore(scope, false), new NDList(scope.create(flat, new Shape(rows.length, rows[0].length))), false)
          .singletonOrThrow().toFloatArray();
    }
  }

  private static float[] row(float[] logits, int row, int rows) {
    int width = logits.length / rows;
    return java.util.Arrays.copyOfRange(logits, row * width, (row + 1) * width);
  }

  private static Generator.Settings sampling(float temperature, long seed) {
    return new Generator.Settings(12, temperature, 1f, seed, List.of(), true);
  }

  @Test
  void eachRowOfAMixedBatchGetsWhatItsOwnAdapterGives() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engines.seed(1);
      LlamaModel base = new LlamaModel(TINY, null);
      base.initialize(manager);
      ModelFiles.writeBase(base, dir.resolve("base"), null);
      LlamaModel a = adapter(manager, dir.resolve("base"), new LoraSettings(2, 4f, List.of("q_proj", "v_proj")), 2);
      LlamaModel b = adapter(manager, dir.resolve("base"), new LoraSettings(6, 3f, List.of("o_proj", "down_proj", "up_proj")), 3);
      ModelFiles.writeAdapter(a, "base", dir.resolve("a"));
      ModelFiles.writeAdapter(b, "base", dir.resolve("b"));

      try (AdapterBank bank = new AdapterBank(manager, dir.resolve("base"), Map.of("b", dir.resolve("b"), "a", dir.resolve("a")))) {
        assertEquals(List.of("a", "b"), bank.adapters());
        assertEquals(0, bank.slot(AdapterBank.BASE));
        assertThrows(IllegalArgumentException.class, () -> bank.slot("c"));
        assertThrows(IllegalArgumentException.class, () -> bank.select(new int[] {3}));
        long[] text = {256, 72, 105, 10, 65};
        long[][] one = {text};
        assertArrayEquals(logits(manager, base, one), logits(manager, bank.model(), one), 1e-5f, "no rows selected: the base");

        // One forward pass over rows of the base, a, b and a again.
        long[][] four = {text, text, text, text};
        bank.select(new int[] {0, bank.slot("a"), bank.slot("b"), bank.slot("a")});
        float[] mixed = logits(manager, bank.model(), four);
        bank.clear();
        assertArrayEquals(logits(manager, base, one), row(mixed, 0, 4), 1e-5f);
        assertArrayEquals(logits(manager, a, one), row(mixed, 1, 4), 1e-5f);
        assertArrayEquals(logits(manager, b, one), row(mixed, 2, 4), 1e-5f);
        assertArrayEquals(row(mixed, 1, 4), row(mixed, 3, 4), 1e-6f);
        assertTrue(maxDiff(row(mixed, 1, 4), row(mixed, 2, 4)) > 1e-2, "the two adapters answer differently");
        assertArrayEquals(logits(manager, base, one), logits(manager, bank.model(), one), 1e-5f, "clear() switches adapters off");

        // Decoding a mixed batch of prompts of different lengths (rows finish and leave at different
        // steps) gives each prompt what its own model gives it alone.
        ChatFormat format = ChatFormat.bytes();
        List<int[]> prompts = List.of(format.prompt("Hi"), format.prompt("What grows here?"), format.prompt("Tell me"), format.prompt("A"));
        int[] slots = {bank.slot("b"), 0, bank.slot("a"), bank.slot("b")};
        LlamaModel[] own = {b, base, a, b};
        Generator generator = new Generator(bank, format, manager);
        List<Generator.Output> together = generator.generate(prompts, new long[4], slots, Generator.Settings.greedy(12));
        for (int i = 0; i < prompts.size(); i++) {
          int[] alone = new Generator(own[i], format, manager).generate(prompts.get(i), Generator.Settings.greedy(12)).tokens();
          assertArrayEquals(alone, together.get(i).tokens(), "prompt " + i);
        }
        int[] greedy = generator.generate(List.of(prompts.get(0)), new long[] {1}, new int[] {1}, sampling(0f, 1)).get(0).tokens();
        assertArrayEquals(greedy, generator.generate(List.of(prompts.get(0)), new long[] {2}, new int[] {1}, sampling(0f, 2)).get(0).tokens(),
            "greedy ignores the seed");
        assertArrayEquals(generator.generate(List.of(prompts.get(0)), new long[] {5}, new int[] {1}, sampling(1f, 5)).get(0).tokens(),
            generator.generate(List.of(prompts.get(0)), new long[] {5}, new int[] {1}, sampling(1f, 5)).get(0).tokens());
      }
    }
  }

  private static float maxDiff(float[] x, float[] y) {
    float max = 0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs(x[i] - y[i]));
    }
    return max;
  }
}
