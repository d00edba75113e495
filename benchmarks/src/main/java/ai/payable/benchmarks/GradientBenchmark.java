package ai.payable.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.engine.Engines;
import ai.payable.training.features.GradientFeatures;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.Initializers;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.train.Losses;
import ai.payable.training.train.TokenBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-sample projected gradients on SmolLM2-135M-Instruct with a rank-8 LoRA on every projection:
 * examples per second taken one at a time (one backward each), batched ({@link GradientFeatures}'s
 * per-row LoRA copies, one backward per batch), and, as the ceiling, plain batched LoRA training
 * steps (forward and backward of the same batches, gradients summed into the shared LoRA weights).
 * Usage: {@code benchmarks/run gradients [--examples 32] [--batch 8]} (after {@code make models}).
 */
public final class GradientBenchmark {

  private GradientBenchmark() {}

  public static void main(String[] args) throws Exception {
    int examples = 32;
    int batch = 8;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--examples" -> examples = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --examples N, --batch N)");
      }
    }
    Path model = Path.of("").toAbsolutePath().resolve("build/hf/smollm2-135m-instruct");
    if (!Files.isRegularFile(model.resolve("config.json"))) {
      throw new IllegalStateException(model + " is missing: run `make models`");
    }
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      Checkpoint checkpoint = Checkpoint.open(model);
      LlamaModel llama = new LlamaModel(checkpoint.config(), new LoraSettings(8, 16, LoraSettings.PROJECTIONS));
      llama.initialize(manager, DataType.FLOAT32, checkpoint);
      Engines.seed(3);
      List<Parameter> lora = new ArrayList<>();
      for (LoraLinear p : llama.adaptedProjections()) {
        // A trained adapter's B is not zero; neither are the gradients of A then.
        p.loraB().getArray().set(Initializers.normal(0.002f).initialize(manager, p.loraB().getArray().getShape(), DataType.FLOAT32).toFloatArray());
        lora.add(p.loraA());
        lora.add(p.loraB());
      }
      List<TokenSequence> sequences = new ArrayList<>();
      try (ChatFormat format = ChatFormat.open(model, checkpoint.config().vocabSize())) {
        for (int i = 0; i < examples; i++) {
          sequences.add(format.answer(ServingBenchmark.QUESTIONS.get(i % ServingBenchmark.QUESTIONS.size()) + " (case " + i + ")",
              "Record " + i + " says: " + "rotate legumes with cereals, keep the soil covered and test it every spring. ".repeat(1 + i % 3)));
        }
      }
      int tokens = sequences.stream().mapToInt(s -> s.tokens().length).sum();
      System.err.printf(Locale.ROOT, "-> %d examples, %d tokens, %d LoRA modules, batches of %d%n", examples, tokens, llama.adaptedProjections().size(), batch);

      double single;
      double batched;
      try (GradientFeatures one = new GradientFeatures(llama, 16, 11, 1)) {
        one.of(sequences.subList(0, 2));
        long t0 = System.nanoTime();
        one.of(sequences);
        single = examples / ((System.nanoTime() - t0) / 1e9);
      }
      try (GradientFeatures many = new GradientFeatures(llama, 16, 11, batch)) {
        many.of(sequences.subList(0, Math.min(batch, examples)));
        long t0 = System.nanoTime();
        many.of(sequences);
        batched = examples / ((System.nanoTime() - t0) / 1e9);
      }
      // The SmolLM2 adapters' features: the top 8 layers' modules at 64 dimensions; the backward stops there.
      double top;
      List<String> topModules = llama.adaptedModulesOfTopLayers(8);
      try (GradientFeatures many = new GradientFeatures(llama, 64, 11, batch, topModules)) {
        many.of(sequences.subList(0, Math.min(batch, examples)));
        long t0 = System.nanoTime();
        many.of(sequences);
        top = examples / ((System.nanoTime() - t0) / 1e9);
      }
      double training = trainingSteps(llama, lora, sequences, batch, manager);
      System.out.printf(Locale.ROOT, "RESULT gradients examples=%d batch=%d one_at_a_time_per_s=%.2f batched_per_s=%.2f top8_layers_batched_per_s=%.2f "
          + "training_step_per_s=%.2f batched_vs_one_at_a_time=%.2f batched_vs_training_step=%.2f top8_vs_all_layers=%.2f%n", examples, batch, single, batched,
          top, training, batched / single, batched / training, top / batched);
    }
  }

  /** Examples per second of plain LoRA training passes (forward, mean loss, backward) over the same batches. */
  private static double trainingSteps(LlamaModel llama, List<Parameter> lora, List<TokenSequence> sequences, int batch, NDManager manager) {
    llama.getParameters().values().forEach(p -> p.freeze(!lora.contains(p)));
    List<List<TokenSequence>> batches = new ArrayList<>();
    List<TokenSequence> sorted = new ArrayList<>(sequences);
    sorted.sort(java.util.Comparator.comparingInt(s -> s.tokens().length));
    for (int from = 0; from < sorted.size(); from += batch) {
      batches.add(sorted.subList(from, Math.min(sorted.size(), from + batch)));
    }
    step(llama, batches.get(0), manager);
    long t0 = System.nanoTime();
    for (List<TokenSequence> b : batches) {
      step(llama, b, manager);
    }
    return sequences.size() / ((System.nanoTime() - t0) / 1e9);
  }

  private static void step(LlamaModel llama, List<TokenSequence> batch, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      TokenBatch tokens = TokenBatch.of(scope, batch, 0);
      try (GradientCollector collector = Engines.gradientCollector()) {
        NDArray logits = llama.forward(new ParameterStore(scope, false), new NDList(tokens.inputs()), true).singletonOrThrow();
        collector.backward(Losses.crossEntropy(logits, tokens));
      }
    }
  }
}
