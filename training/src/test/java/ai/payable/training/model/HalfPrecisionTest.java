package ai.payable.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.engine.Engines;
import ai.payable.training.infer.Generator;
import ai.payable.training.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The float16 path GPUs serve in (Engines.servingType), run on the CPU: the same checkpoint in half
 * precision gives the float32 logits to half precision's accuracy, and generates.
 */
class HalfPrecisionTest {

  @TempDir Path dir;

  @Test
  void halfPrecisionModelsAgreeWithFloat32() throws Exception {
    Engines.Scope noGrad = Engines.noGradients();
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      Engines.seed(3);
      LlamaModel written = new LlamaModel(LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64), null);
      written.initialize(manager);
      ModelFiles.writeBase(written, dir, null);
      Checkpoint checkpoint = Checkpoint.open(dir);
      LlamaModel full = new LlamaModel(checkpoint.config(), null);
      full.initialize(manager, DataType.FLOAT32, checkpoint);
      LlamaModel half = new LlamaModel(checkpoint.config(), null);
      half.initialize(manager, DataType.FLOAT16, checkpoint);
      assertEquals(DataType.FLOAT16, half.dataType());

      int[] prompt = ChatFormat.bytes().prompt("the farmer checks the soil");
      long[] ids = java.util.Arrays.stream(prompt).asLongStream().toArray();
      float[] a = full.forward(new ParameterStore(manager, false), new NDList(manager.create(ids, new Shape(1, ids.length))), false).singletonOrThrow()
          .toFloatArray();
      float[] b = half.forward(new ParameterStore(manager, false), new NDList(manager.create(ids, new Shape(1, ids.length))), false).singletonOrThrow()
          .toType(DataType.FLOAT32, false).toFloatArray();
      double worst = 0;
      double scale = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
        scale = Math.max(scale, Math.abs(a[i]));
      }
      assertTrue(worst <= 1e-2 * Math.max(1, scale), "float16 logits differ by " + worst + " (largest logit " + scale + ")");
      Generator.Output answer = new Generator(half, ChatFormat.bytes(), manager).generate(prompt, Generator.Settings.greedy(8));
      assertTrue(answer.tokens().length > 0 || answer.finish() == Generator.Finish.STOP);
    } finally {
      noGrad.close();
    }
  }
}
