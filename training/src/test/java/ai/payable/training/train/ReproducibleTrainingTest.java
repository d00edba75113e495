package ai.payable.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.model.TinyCorpus;
import ai.payable.training.tokenizer.ByteTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A seeded training run gives the same adapter whether it trains alone or while another model
 * trains in the same JVM, as Spark tasks sharing an executor do: initial weights and dropout masks
 * come from the run's own generator.
 */
class ReproducibleTrainingTest {

  private static final LlamaConfig TINY = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64);
  private static final List<TokenSequence> TEXTS = TinyCorpus.documents(TinyCorpus.sentences(48, 3), 48);

  /** A fresh model with a LoRA adapter (dropout on), seeded, trained for two epochs: its adapter's weights. */
  private static float[] trainedAdapter(long seed, CyclicBarrier start) throws Exception {
    if (start != null) {
      start.await();
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      Engines.seed(seed);
      LlamaModel model = new LlamaModel(TINY, new LoraSettings(4, 8f, List.of("q_proj", "v_proj", "down_proj"), 0.2f, false));
      model.initialize(manager);
      List<Parameter> trainable = new ArrayList<>();
      for (LoraLinear p : model.adaptedProjections()) {
        trainable.add(p.loraA());
        trainable.add(p.loraB());
      }
      new TrainingLoop(new TrainingLoop.Settings(2, 8, 1e-2f, 2, 0f, seed)).run(model, trainable, TEXTS, ByteTokenizer.PAD, TrainingLoop.crossEntropy(),
          (step, steps, loss, tokens, seconds) -> {});
      List<float[]> parts = trainable.stream().map(p -> p.getArray().toFloatArray()).toList();
      float[] all = new float[parts.stream().mapToInt(a -> a.length).sum()];
      int at = 0;
      for (float[] part : parts) {
        System.arraycopy(part, 0, all, at, part.length);
        at += part.length;
      }
      return all;
    }
  }

  @Test
  void aRunBesideAnotherGivesWhatItGivesAlone() throws Exception {
    float[] alone = trainedAdapter(7, null);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CyclicBarrier start = new CyclicBarrier(2);
      Future<float[]> same = pool.submit(() -> trainedAdapter(7, start));
      Future<float[]> other = pool.submit(() -> trainedAdapter(8, start));
      assertArrayEquals(alone, same.get(), "seed 7 trained beside seed 8 must give what seed 7 gives alone");
      assertFalse(Arrays.equals(alone, other.get()), "another seed, another adapter");
    } finally {
      pool.shutdownNow();
    }
  }
}
