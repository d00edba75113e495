package ai.payable.training.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
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
import ai.payable.training.train.Losses;
import ai.payable.training.train.TokenBatch;
import ai.payable.training.train.TrainingLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An example's gradient features are the same on every run, even for an adapter trained with
 * dropout, and the batched per-sample features equal the projections of gradients taken one
 * example at a time.
 */
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

  @Test
  void batchedFeaturesEqualOneAtATimeGradientsProjected() {
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      Engines.seed(5);
      LlamaModel model = new LlamaModel(TINY, new LoraSettings(4, 8f, List.of("q_proj", "v_proj", "down_proj"), 0.1f, false));
      model.initialize(manager);
      List<Parameter> lora = new ArrayList<>();
      model.adaptedProjections().forEach(p -> {
        lora.add(p.loraA());
        lora.add(p.loraB());
      });
      List<TokenSequence> documents = TinyCorpus.documents(TinyCorpus.sentences(24, 3), TINY.maxPositions());
      new TrainingLoop(new TrainingLoop.Settings(1, 8, 1e-2f, 1, 0f, 3)).run(model, lora, documents, ByteTokenizer.PAD, TrainingLoop.crossEntropy(),
          (s, n, l, t, sec) -> {});
      // Lengths differ (padding in a batch) and some examples have a prompt that is not a target.
      List<TokenSequence> examples = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        int[] t = documents.get(i).tokens();
        int[] cut = Arrays.copyOf(t, Math.max(6, t.length - 5 * i));
        examples.add(new TokenSequence(cut, i % 2 == 0 ? 1 : cut.length / 2));
      }

      // One at a time, the classic way: each example's own backward, the LoRA parameters' gradients.
      List<float[][]> reference = new ArrayList<>();
      model.adaptedProjections().forEach(p -> p.setDropout(false));
      model.getParameters().values().forEach(p -> p.freeze(!lora.contains(p)));
      for (TokenSequence example : examples) {
        try (NDManager scope = manager.newSubManager()) {
          TokenBatch batch = TokenBatch.of(scope, List.of(example), 0);
          try (GradientCollector collector = Engines.gradientCollector()) {
            NDArray logits = model.forward(new ParameterStore(scope, false), new NDList(batch.inputs()), true).singletonOrThrow();
            collector.backward(Losses.crossEntropy(logits, batch));
          }
          float[][] perModule = new float[model.adaptedProjections().size()][];
          for (int m = 0; m < perModule.length; m++) {
            float[] a = takeGradient(model.adaptedProjections().get(m).loraA());
            float[] b = takeGradient(model.adaptedProjections().get(m).loraB());
            perModule[m] = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, perModule[m], a.length, b.length);
          }
          reference.add(perModule);
        }
      }

      try (GradientFeatures features = new GradientFeatures(model, 6, 19, 3)) {
        List<GradientFeatures.Feature> batched = features.of(examples);
        double worst = 0;
        for (int e = 0; e < examples.size(); e++) {
          for (int m = 0; m < reference.get(e).length; m++) {
            float[] expected = features.project(m, reference.get(e)[m]);
            float[] actual = Arrays.copyOfRange(batched.get(e).features(), m * 6, (m + 1) * 6);
            double norm = 0;
            double diff = 0;
            for (int j = 0; j < 6; j++) {
              norm += (double) expected[j] * expected[j];
              diff += (double) (expected[j] - actual[j]) * (expected[j] - actual[j]);
            }
            assertTrue(norm > 0, "example " + e + ", module " + m + " has a gradient");
            worst = Math.max(worst, Math.sqrt(diff / norm));
          }
        }
        System.out.printf(java.util.Locale.ROOT, "batched per-sample features vs one at a time: worst relative difference %.2e%n", worst);
        assertTrue(worst < 1e-4, "batched per-sample features differ from one-at-a-time gradients by " + worst + " (relative)");
        // A batch of one is the same computation as a batch of three.
        assertArrayEquals(batched.get(4).features(), features.of(examples.get(4)).features(), 1e-5f);

        // The top layer alone: the same features as that layer's part of all of them, from a
        // backward pass that stops above the first layer.
        List<String> top = model.adaptedModulesOfTopLayers(1);
        List<String> all = features.moduleNames();
        assertEquals(all.subList(all.size() - top.size(), all.size()), top);
        try (GradientFeatures topOnly = new GradientFeatures(model, 6, 19, 3, top)) {
          assertEquals(top, topOnly.moduleNames());
          List<GradientFeatures.Feature> partial = topOnly.of(examples);
          for (int e = 0; e < examples.size(); e++) {
            float[] whole = batched.get(e).features();
            assertArrayEquals(Arrays.copyOfRange(whole, whole.length - top.size() * 6, whole.length), partial.get(e).features(), 1e-5f,
                "example " + e + ": top-layer features");
          }
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> new GradientFeatures(model, 6, 19, 3, List.of("model.layers.0.mlp.up_proj")));
        assertTrue(unknown.getMessage().contains("model.layers.0.mlp.up_proj carries no adapter"), unknown.getMessage());
      }
    }
  }

  private static float[] takeGradient(Parameter p) {
    try (NDArray g = p.getArray().getGradient()) {
      float[] values = g.toFloatArray();
      g.subi(g);
      return values;
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
