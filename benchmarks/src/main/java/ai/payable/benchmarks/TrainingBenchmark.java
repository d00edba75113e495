package ai.payable.benchmarks;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.train.TokenBatch;
import ai.payable.training.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Tokens per second of a training step for the student's shape (hidden 64, 2 layers, 4 heads,
 * context 256, batch 16): full training and LoRA-only training, each as a ratio to the forward pass
 * alone (inference), all measured in the same run on the same device.
 * Usage: {@code benchmarks/run train [--device cpu|gpu] [--steps N]}.
 */
public final class TrainingBenchmark {

  private TrainingBenchmark() {}

  public static void main(String[] args) {
    String device = "cpu";
    int steps = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--device" -> device = args[++i];
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --device cpu|gpu, --steps N)");
      }
    }
    LlamaConfig config = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 64, 2, 4, 172, 256);
    SplittableRandom random = new SplittableRandom(1);
    List<TokenSequence> batch = new ArrayList<>();
    for (int b = 0; b < 16; b++) {
      int[] s = new int[256];
      s[0] = ByteTokenizer.BOS;
      for (int t = 1; t < s.length; t++) {
        s[t] = 32 + random.nextInt(95);
      }
      batch.add(TokenSequence.document(s));
    }
    List<TokenSequence> examples = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      examples.addAll(batch);
    }
    try (NDManager manager = NDManager.newBaseManager(Engines.device(device))) {
      Engines.seed(1);
      LlamaModel model = new LlamaModel(config, new LoraSettings(8, 16, List.of("q_proj", "v_proj", "o_proj")));
      model.initialize(manager);
      double forward = forwardTokensPerSecond(model, manager, batch, steps);
      TrainingLoop loop = new TrainingLoop(new TrainingLoop.Settings(1, 16, 1e-3f, 0, 0f, 1));
      loop.run(model, new ArrayList<>(model.getParameters().values()), batch.subList(0, 16), ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {});
      double full = loop.run(model, new ArrayList<>(model.getParameters().values()), examples, ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {})
          .tokensPerSecond();
      List<Parameter> lora = new ArrayList<>();
      for (LoraLinear p : model.adaptedProjections()) {
        lora.add(p.loraA());
        lora.add(p.loraB());
      }
      double adapter = loop.run(model, lora, examples, ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {}).tokensPerSecond();
      System.out.printf(Locale.ROOT, "RESULT train device=%s steps=%d forward_tokens_per_s=%.0f full_train_tokens_per_s=%.0f lora_train_tokens_per_s=%.0f "
          + "full_vs_forward=%.2f lora_vs_forward=%.2f lora_vs_full=%.2f%n", device, steps, forward, full, adapter, full / forward, adapter / forward, adapter / full);
    }
  }

  private static double forwardTokensPerSecond(LlamaModel model, NDManager manager, List<TokenSequence> batch, int steps) {
    long tokens = 0;
    long start = 0;
    for (int i = -2; i < steps; i++) {
      if (i == 0) {
        start = System.nanoTime();
      }
      try (NDManager scope = manager.newSubManager()) {
        TokenBatch b = TokenBatch.of(scope, batch, ByteTokenizer.PAD);
        model.forward(new ParameterStore(scope, false), new NDList(b.inputs()), false);
        if (i >= 0) {
          tokens += b.tokens();
        }
      }
    }
    return tokens / ((System.nanoTime() - start) / 1e9);
  }
}
