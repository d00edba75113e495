package ai.payable.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.engine.Engines;
import ai.payable.training.infer.Generator;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.train.TrainingLoop;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real model against its reference: SmolLM2-135M-Instruct (build/hf, from make models) run by
 * our DJL model and by transformers (eager, float32) on the same CPU, the same threads and the
 * same token ids, in one run. Prints prefill tokens/s, batched greedy generation tokens/s, a LoRA
 * training step's tokens/s (vs transformers + peft) and what the KV cache saves.
 * Each run measures both sides (best of {@code --repeats}); {@code --runs} runs print their
 * ratios and the median, since the machine is shared and one run can be unlucky on either side.
 * Usage: {@code benchmarks/run model [--runs N] [--repeats N] [--new-tokens N] [--attention eager|sdpa]}.
 */
public final class ModelBenchmark {

  private static final List<String> QUESTIONS = List.of("What is crop rotation and why do farmers use it?",
      "Explain what a force majeure clause does in a contract.", "How should a mild sunburn be treated at home?",
      "Give three tips for storing grain after harvest so that it stays dry and free of pests.");

  private ModelBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = 3;
    int repeats = 3;
    int newTokens = 64;
    String attention = "eager";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--new-tokens" -> newTokens = Integer.parseInt(args[++i]);
        case "--attention" -> attention = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --runs N, --repeats N, --new-tokens N, --attention eager|sdpa)");
      }
    }
    Path root = Path.of("").toAbsolutePath();
    Path model = root.resolve("build/hf/smollm2-135m-instruct");
    Path python = root.resolve(".venv-models/bin/python");
    if (!Files.isRegularFile(model.resolve("config.json")) || !Files.isExecutable(python)) {
      throw new IllegalStateException(model + " or " + python + " is missing: run `make models`");
    }
    Path work = Files.createDirectories(root.resolve("build/bench/model"));
    Engines.pytorch();
    int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();

    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice()); ChatFormat format = ChatFormat.open(model, 49152)) {
      Checkpoint checkpoint = Checkpoint.open(model);
      LlamaModel llama = new LlamaModel(checkpoint.config(), new LoraSettings(8, 16, List.of("q_proj", "k_proj", "v_proj", "o_proj")));
      llama.initialize(manager, DataType.FLOAT32, checkpoint);

      // Inputs, shared with the Python side.
      int[] text = format.tokenizer().encode(String.join(" ", QUESTIONS).repeat(8));
      List<int[]> prefill = new ArrayList<>();
      for (int b = 0; b < 4; b++) {
        prefill.add(Arrays.copyOfRange(text, b * 16, b * 16 + 128));
      }
      List<int[]> prompts = QUESTIONS.stream().map(format::prompt).toList();
      List<List<int[]>> loraBatches = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        List<int[]> batch = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
          int from = (s * 8 + b) * 7 % (text.length - 129);
          batch.add(Arrays.copyOfRange(text, from, from + 128));
        }
        loraBatches.add(batch);
      }
      Map<String, Object> inputs = new LinkedHashMap<>();
      inputs.put("threads", threads);
      inputs.put("repeats", repeats);
      inputs.put("prefill", prefill);
      inputs.put("generate", Map.of("prompts", prompts, "new_tokens", newTokens));
      inputs.put("lora", Map.of("batches", loraBatches, "rank", 8, "alpha", 16, "targets", List.of("q_proj", "k_proj", "v_proj", "o_proj"), "lr", 1e-4));
      ObjectMapper json = new ObjectMapper();
      json.writeValue(work.resolve("inputs.json").toFile(), inputs);

      Generator generator = new Generator(llama, format, manager);
      List<TokenSequence> examples = new ArrayList<>();
      loraBatches.forEach(batch -> batch.forEach(ids -> examples.add(TokenSequence.document(ids))));
      List<Parameter> lora = new ArrayList<>();
      for (LoraLinear p : llama.adaptedProjections()) {
        lora.add(p.loraA());
        lora.add(p.loraB());
      }
      long prefillTokens = 4L * 128;
      long loraTokens = 4L * 8 * 128;
      List<Double> prefillRatios = new ArrayList<>();
      List<Double> generateRatios = new ArrayList<>();
      List<Double> loraRatios = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        System.err.println("-> run " + run + "/" + runs + ", DJL: prefill, generation" + (run == 1 ? ", cache" : "") + ", LoRA steps (" + threads + " threads)");
        // Plain inference first: the adapter is switched off (its products skipped) until the LoRA steps.
        llama.adaptedProjections().forEach(p -> p.setScale(0f));
        double prefillSeconds;
        Engines.Scope noGrad = Engines.noGradients();
        try {
          forward(llama, manager, prefill);
          prefillSeconds = best(repeats, () -> forward(llama, manager, prefill));
        } finally {
          noGrad.close();
        }
        generator.generate(prompts, Generator.Settings.greedy(8));
        int[] produced = new int[1];
        Generator.Settings greedy = Generator.Settings.greedy(newTokens);
        double generateSeconds = best(repeats, () -> produced[0] = generator.generate(prompts, greedy).stream().mapToInt(o -> o.tokens().length).sum());
        if (run == 1) {
          int[] one = prompts.get(0);
          int[] cacheTokens = new int[2];
          Generator.Settings cached = new Generator.Settings(128, 0f, 1f, 0, List.of(), true);
          Generator.Settings uncached = new Generator.Settings(128, 0f, 1f, 0, List.of(), false);
          double withCache = best(1, () -> cacheTokens[0] = generator.generate(one, cached).tokens().length);
          double withoutCache = best(1, () -> cacheTokens[1] = generator.generate(one, uncached).tokens().length);
          System.out.printf(Locale.ROOT, "RESULT model kv_cache new_tokens=%d/%d with_cache_tokens_per_s=%.1f without_cache_tokens_per_s=%.1f speedup=%.2f%n",
              cacheTokens[0], cacheTokens[1], cacheTokens[0] / withCache, cacheTokens[1] / withoutCache,
              withoutCache / withCache * cacheTokens[0] / cacheTokens[1]);
        }
        llama.adaptedProjections().forEach(p -> p.setScale(16f / 8));
        TrainingLoop loop = new TrainingLoop(new TrainingLoop.Settings(1, 8, 1e-4f, 0, 0f, 1));
        loop.run(llama, lora, examples.subList(0, 8), 0, TrainingLoop.crossEntropy(), (st, n, l, t, sec) -> {});
        double loraSeconds = best(repeats, () -> loop.run(llama, lora, examples, 0, TrainingLoop.crossEntropy(), (st, n, l, t, sec) -> {}));

        System.err.println("-> run " + run + "/" + runs + ", transformers " + attention + ": the same, in a subprocess");
        JsonNode hf = transformers(python, root, model, work, attention);
        double hfPrefill = prefillTokens / hf.path("prefill").path("seconds").asDouble();
        double hfGen = hf.path("generate").path("tokens").asDouble() / hf.path("generate").path("seconds").asDouble();
        double hfLora = loraTokens / hf.path("lora").path("seconds").asDouble();
        prefillRatios.add(prefillTokens / prefillSeconds / hfPrefill);
        generateRatios.add(produced[0] / generateSeconds / hfGen);
        loraRatios.add(loraTokens / loraSeconds / hfLora);
        System.out.printf(Locale.ROOT, "RESULT model run=%d prefill tokens=%d djl_tokens_per_s=%.0f hf_tokens_per_s=%.0f ratio=%.2f%n", run, prefillTokens,
            prefillTokens / prefillSeconds, hfPrefill, prefillRatios.get(run - 1));
        System.out.printf(Locale.ROOT, "RESULT model run=%d generate batch=%d new_tokens=%d djl_tokens=%d hf_tokens=%d djl_tokens_per_s=%.1f "
            + "hf_tokens_per_s=%.1f ratio=%.2f%n", run, prompts.size(), newTokens, produced[0], hf.path("generate").path("tokens").asInt(),
            produced[0] / generateSeconds, hfGen, generateRatios.get(run - 1));
        System.out.printf(Locale.ROOT, "RESULT model run=%d lora_step batches=4x8x128 djl_tokens_per_s=%.0f hf_peft_tokens_per_s=%.0f ratio=%.2f%n", run,
            loraTokens / loraSeconds, hfLora, loraRatios.get(run - 1));
      }
      System.out.printf(Locale.ROOT, "RESULT model median_of_%d_runs prefill=%.2f generate=%.2f lora_step=%.2f%n", runs, median(prefillRatios),
          median(generateRatios), median(loraRatios));
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void forward(LlamaModel model, NDManager manager, List<int[]> batch) {
    try (NDManager scope = manager.newSubManager()) {
      long[] ids = new long[batch.size() * batch.get(0).length];
      for (int b = 0; b < batch.size(); b++) {
        for (int t = 0; t < batch.get(b).length; t++) {
          ids[b * batch.get(b).length + t] = batch.get(b)[t];
        }
      }
      NDArray logits = model.forward(new ParameterStore(scope, false), new NDList(scope.create(ids, new Shape(batch.size(), batch.get(0).length))), false)
          .singletonOrThrow();
      logits.getFloat(0, 0, 0);
    }
  }

  private static JsonNode transformers(Path python, Path root, Path model, Path work, String attention) throws IOException, InterruptedException {
    Path out = work.resolve("transformers.json");
    Process p = new ProcessBuilder(python.toString(), root.resolve("training/reference/bench.py").toString(), "--model", model.toString(), "--inputs",
        work.resolve("inputs.json").toString(), "--out", out.toString(), "--attention", attention).inheritIO().start();
    if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("training/reference/bench.py failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
    }
    return new ObjectMapper().readTree(out.toFile());
  }

  /** The fastest of {@code repeats} runs, in seconds. */
  private static double best(int repeats, Runnable run) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      run.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return best;
  }
}
