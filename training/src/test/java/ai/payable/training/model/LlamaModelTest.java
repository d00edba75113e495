package ai.payable.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.train.TrainingLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decoder learns, reproducibly, and LoRA trains only A and B while matching merged weights. */
class LlamaModelTest {

  static final LlamaConfig TINY = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64);
  private static final TrainingLoop.Settings SETTINGS = new TrainingLoop.Settings(8, 16, 1e-2f, 5, 0f, 7);
  private static final TrainingLoop.Settings ADAPTER = new TrainingLoop.Settings(6, 16, 1e-2f, 5, 0f, 7);

  static List<TokenSequence> examples(List<String> texts) {
    return TinyCorpus.documents(texts, TINY.maxPositions());
  }

  private static TrainingLoop.Report train(NDManager manager, LlamaModel model, List<Parameter> trainable) {
    return train(SETTINGS, model, trainable);
  }

  private static TrainingLoop.Report train(TrainingLoop.Settings settings, LlamaModel model, List<Parameter> trainable) {
    return new TrainingLoop(settings).run(model, trainable, examples(TinyCorpus.sentences(160, 1)), ByteTokenizer.PAD, TrainingLoop.crossEntropy(),
        (s, n, l, t, sec) -> {});
  }

  private static LlamaModel fresh(NDManager manager, LoraSettings lora) {
    Engines.seed(42);
    LlamaModel model = new LlamaModel(TINY, lora);
    model.initialize(manager);
    return model;
  }

  static float[] logits(NDManager manager, LlamaModel model, String text) {
    try (NDManager scope = manager.newSubManager()) {
      int[] ids = new ByteTokenizer().encode(text, false, TINY.maxPositions());
      long[] asLong = java.util.Arrays.stream(ids).asLongStream().toArray();
      NDArray input = scope.create(asLong, new Shape(1, ids.length));
      return model.forward(new ParameterStore(scope, false), new NDList(input), false).singletonOrThrow().toFloatArray();
    }
  }

  @Test
  void lossFallsAndSeededRunsRepeatExactly() {
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      LlamaModel first = fresh(manager, null);
      TrainingLoop.Report a = train(manager, first, new ArrayList<>(first.getParameters().values()));
      float start = a.losses().get(0);
      assertTrue(start > 5.0f && start < 6.2f, "an untrained byte model starts near ln 259 = 5.56, got " + start);
      assertTrue(a.finalLoss() < 1.5f, "loss should fall well below the start, got " + a.losses());

      LlamaModel second = fresh(manager, null);
      TrainingLoop.Report b = train(manager, second, new ArrayList<>(second.getParameters().values()));
      assertEquals(a.losses(), b.losses(), "same seed, same data: same losses");
      assertArrayEquals(logits(manager, first, "the nurse checks"), logits(manager, second, "the nurse checks"));
    }
  }

  @Test
  void loraTrainsOnlyItsMatricesAndEqualsTheMergedWeights() {
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      LoraSettings lora = new LoraSettings(4, 8f, List.of("q_proj", "v_proj", "down_proj"));
      LlamaModel pretrained = fresh(manager, null);
      train(manager, pretrained, new ArrayList<>(pretrained.getParameters().values()));
      LlamaModel model = fresh(manager, lora);
      pretrained.namedParameters().forEach((name, p) -> model.namedParameters().get(name).getArray().set(p.getArray().toFloatArray()));
      float[] before = logits(manager, model, "A STUDENT REVIEWS");
      Map<String, float[]> base = new HashMap<>();
      model.baseParameters().forEach((name, p) -> base.put(name, p.getArray().toFloatArray()));
      List<Parameter> adapters = new ArrayList<>();
      model.adaptedProjections().forEach(p -> {
        adapters.add(p.loraA());
        adapters.add(p.loraB());
      });
      assertEquals(2 * 3 * 2, adapters.size(), "A and B for 3 targets in 2 layers");

      // The adapter learns a shifted domain: the same sentences, shouted.
      List<TokenSequence> shouted = examples(TinyCorpus.sentences(160, 2).stream().map(String::toUpperCase).toList());
      TrainingLoop.Report report = new TrainingLoop(ADAPTER).run(model, adapters, shouted, ByteTokenizer.PAD, TrainingLoop.crossEntropy(),
          (s, n, l, t, sec) -> {});
      assertTrue(report.finalLoss() < report.losses().get(0) - 1.0f, "the adapter learns: " + report.losses());
      model.baseParameters().forEach((name, p) -> assertArrayEquals(base.get(name), p.getArray().toFloatArray(), name + " changed"));
      float[] adapted = logits(manager, model, "A STUDENT REVIEWS");
      assertTrue(maxAbsDiff(before, adapted) > 1e-3, "the adapter changes the output");

      // A plain model holding W + (α/r)·B·A gives the same logits as the adapter path.
      LlamaModel merged = fresh(manager, null);
      Map<String, Parameter> target = merged.namedParameters();
      model.baseParameters().forEach((name, p) -> target.get(name).getArray().set(p.getArray().toFloatArray()));
      for (LoraLinear p : model.adaptedProjections()) {
        NDArray delta = p.loraB().getArray().matMul(p.loraA().getArray()).mul(p.scale());
        NDArray w = p.weight().getArray().add(delta);
        target.get(p.module() + ".weight").getArray().set(w.toFloatArray());
      }
      assertTrue(maxAbsDiff(adapted, logits(manager, merged, "A STUDENT REVIEWS")) < 1e-4, "merged weights differ from the adapter path");
    }
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
