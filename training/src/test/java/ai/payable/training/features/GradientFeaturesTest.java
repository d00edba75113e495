package ai.payable.training.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.model.TinyCorpus;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.train.TrainingLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An example's gradient features are the same on every run, even for an adapter trained with dropout. */
class GradientFeaturesTest {

  private static final LlamaConfig TINY = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64);

  @Test
  void featuresIgnoreTheAdaptersDropoutWhichTrainingKeeps() {
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      Engines.seed(42);
      LlamaModel model = new LlamaModel(TINY, new LoraSettings(4, 8f, List.of("q_proj", "v_proj"), 0.5f, false));
      model.initialize(manager);
      List<Parameter> lora = new ArrayList<>();
      model.adaptedProjections().forEach(p -> {
        lora.add(p.loraA());
        lora.add(p.loraB());
      });
      List<TokenSequence> examples = TinyCorpus.documents(TinyCorpus.sentences(32, 1), TINY.maxPositions());
      // A few steps, so that B is no longer zero and A has a gradient.
      new TrainingLoop(new TrainingLoop.Settings(1, 16, 1e-2f, 1, 0f, 7)).run(model, lora, examples, ByteTokenizer.PAD, TrainingLoop.crossEntropy(),
          (s, n, l, t, sec) -> {});

      try (GradientFeatures features = new GradientFeatures(model, 8, 11)) {
        GradientFeatures.Feature first = features.of(examples.get(0));
        GradientFeatures.Feature again = features.of(examples.get(0));
        assertTrue(Arrays.stream(boxed(first.features())).anyMatch(v -> v != 0f), "the features are not all zero");
        assertArrayEquals(first.features(), again.features(), "the same example, the same features: no dropout mask in them");
      }

      // Dropout is back for training once the features are taken: two training-mode passes differ.
      try (NDManager scope = manager.newSubManager()) {
        int[] ids = new ByteTokenizer().encode("A STUDENT REVIEWS THE NOTES", false, TINY.maxPositions());
        NDList input = new NDList(scope.create(Arrays.stream(ids).asLongStream().toArray(), new Shape(1, ids.length)));
        float[] a = model.forward(new ParameterStore(scope, false), input, true).singletonOrThrow().toFloatArray();
        float[] b = model.forward(new ParameterStore(scope, false), input, true).singletonOrThrow().toFloatArray();
        assertFalse(Arrays.equals(a, b), "training passes still drop out");
      }
    }
  }

  private static Float[] boxed(float[] values) {
    Float[] out = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
