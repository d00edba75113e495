package ai.payable.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.engine.Engines;
import ai.payable.training.infer.AdapterBank;
import ai.payable.training.infer.Generator;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.Initializers;
import ai.payable.training.model.LlamaModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serving many LoRA adapters on one base (SmolLM2-135M-Instruct from build/hf, {@code make models}),
 * all in one run on the same prompts and greedy answers (so every mode generates the same tokens):
 * <ul>
 *   <li>a batch that mixes adapters, each row with its own (one forward pass per step), against
 *       answering the same prompts adapter by adapter (batches of one adapter) and one at a time;
 *   <li>tokens/s of a full batch as the number of distinct adapters in it grows (1, 3, 10, 30),
 *       against the base alone.
 * </ul>
 * The adapters are rank 8 on all seven projections with random weights: speed does not depend on
 * what they learned. Usage: {@code benchmarks/run serving [--batch N] [--new-tokens N]}.
 */
public final class ServingBenchmark {

  static final List<String> QUESTIONS = List.of("What is crop rotation and why do farmers use it?",
      "Explain what a force majeure clause does in a contract.", "How should a mild sunburn be treated at home?",
      "Give three tips for storing grain after harvest.", "What does an indemnity clause protect against?",
      "When should a rash be seen by a doctor?", "How deep should potatoes be planted?", "What is a non-compete agreement?");
  private static final int ADAPTERS = 30;

  private ServingBenchmark() {}

  public static void main(String[] args) throws Exception {
    int batchSize = 8;
    int newTokens = 32;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--batch" -> batchSize = Integer.parseInt(args[++i]);
        case "--new-tokens" -> newTokens = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --batch N, --new-tokens N)");
      }
    }
    Path root = Path.of("").toAbsolutePath();
    Path model = root.resolve("build/hf/smollm2-135m-instruct");
    if (!Files.isRegularFile(model.resolve("config.json"))) {
      throw new IllegalStateException(model + " is missing: run `make models`");
    }
    Path work = Files.createDirectories(root.resolve("build/bench/serving"));
    Map<String, Path> adapterDirs = writeAdapters(model, work);

    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        AdapterBank bank = new AdapterBank(manager, model, adapterDirs);
        ChatFormat format = ChatFormat.open(model, bank.model().config().vocabSize())) {
      Generator generator = new Generator(bank, format, manager);
      Generator.Settings greedy = Generator.Settings.greedy(newTokens);
      List<int[]> prompts = new ArrayList<>();
      int requests = batchSize * 3;
      for (int i = 0; i < requests; i++) {
        prompts.add(format.prompt(QUESTIONS.get(i % QUESTIONS.size())));
      }
      // Request i asks for adapter i mod 8 (8 adapters in play), as a gateway's traffic interleaves them.
      int[] slots = new int[requests];
      for (int i = 0; i < requests; i++) {
        slots[i] = bank.slot(bank.adapters().get(i % 8));
      }
      generator.generate(prompts.subList(0, 2), new long[2], Arrays.copyOf(slots, 2), Generator.Settings.greedy(4));

      System.err.println("-> " + requests + " requests over 8 adapters, " + newTokens + " new tokens at most");
      List<List<Integer>> mixedBatches = mixedBatches(requests, batchSize);
      List<List<Integer>> groupedBatches = groupedBatches(slots, batchSize);
      Run mixed = timed(() -> answer(generator, prompts, slots, mixedBatches, greedy));
      Run grouped = timed(() -> answer(generator, prompts, slots, groupedBatches, greedy));
      Run alone = timed(() -> answer(generator, prompts, slots, mixedBatches(requests, 1), greedy));
      if (mixed.tokens() != grouped.tokens() || mixed.tokens() != alone.tokens()) {
        throw new IllegalStateException("the modes generated different answers: " + mixed.tokens() + ", " + grouped.tokens() + ", " + alone.tokens() + " tokens");
      }
      System.out.printf(Locale.ROOT, "RESULT serving mixed_batch %.1f tok/s, adapter_by_adapter %.1f tok/s, one_at_a_time %.1f tok/s; "
          + "mixed/by_adapter %.2fx, mixed/one_at_a_time %.2fx%n", mixed.rate(), grouped.rate(), alone.rate(), mixed.rate() / grouped.rate(),
          mixed.rate() / alone.rate());

      System.err.println("-> one batch of " + ADAPTERS + " requests as the distinct adapters in it grow");
      List<int[]> wide = new ArrayList<>();
      for (int i = 0; i < ADAPTERS; i++) {
        wide.add(format.prompt(QUESTIONS.get(i % QUESTIONS.size())));
      }
      List<List<Integer>> oneBatch = List.of(java.util.stream.IntStream.range(0, ADAPTERS).boxed().toList());
      Run base = timed(() -> answer(generator, wide, new int[ADAPTERS], oneBatch, greedy));
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "RESULT serving_adapters base %.1f tok/s", base.rate()));
      for (int distinct : new int[] {1, 3, 10, 30}) {
        int[] s = new int[ADAPTERS];
        for (int i = 0; i < ADAPTERS; i++) {
          s[i] = bank.slot(bank.adapters().get(i % distinct));
        }
        Run r = timed(() -> answer(generator, wide, s, oneBatch, greedy));
        line.append(String.format(Locale.ROOT, "; %d adapter(s) %.1f tok/s (%.2fx base)", distinct, r.rate(), r.rate() / base.rate()));
      }
      System.out.println(line);
    }
  }

  private record Run(long tokens, double seconds) {
    double rate() {
      return tokens / seconds;
    }
  }

  private interface Work {
    long run();
  }

  private static Run timed(Work work) {
    long start = System.nanoTime();
    long tokens = work.run();
    return new Run(tokens, (System.nanoTime() - start) / 1e9);
  }

  /** Answers the requests batch by batch; returns the tokens generated. */
  private static long answer(Generator generator, List<int[]> prompts, int[] slots, List<List<Integer>> batches, Generator.Settings settings) {
    long tokens = 0;
    for (List<Integer> batch : batches) {
      List<int[]> ids = batch.stream().map(prompts::get).toList();
      int[] s = batch.stream().mapToInt(i -> slots[i]).toArray();
      for (Generator.Output o : generator.generate(ids, new long[batch.size()], s, settings)) {
        tokens += o.tokens().length;
      }
    }
    return tokens;
  }

  /** Batches in arrival order, whatever adapters they mix. */
  private static List<List<Integer>> mixedBatches(int requests, int size) {
    List<List<Integer>> batches = new ArrayList<>();
    for (int from = 0; from < requests; from += size) {
      batches.add(java.util.stream.IntStream.range(from, Math.min(requests, from + size)).boxed().toList());
    }
    return batches;
  }

  /** Batches of one adapter each: what a server that swaps adapters must do. */
  private static List<List<Integer>> groupedBatches(int[] slots, int size) {
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < slots.length; i++) {
      bySlot.computeIfAbsent(slots[i], k -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> batches = new ArrayList<>();
    for (List<Integer> group : bySlot.values()) {
      for (int from = 0; from < group.size(); from += size) {
        batches.add(group.subList(from, Math.min(group.size(), from + size)));
      }
    }
    return batches;
  }

  /** {@value #ADAPTERS} rank-8 adapters of the base, in PEFT's layout (written once). */
  private static Map<String, Path> writeAdapters(Path model, Path work) throws Exception {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (int i = 0; i < ADAPTERS; i++) {
      dirs.put(String.format(Locale.ROOT, "adapter-%02d", i), work.resolve(String.format(Locale.ROOT, "adapter-%02d", i)));
    }
    if (dirs.values().stream().allMatch(d -> Files.isRegularFile(d.resolve(ModelFiles.ADAPTER_WEIGHTS)))) {
      return dirs;
    }
    System.err.println("-> writing " + ADAPTERS + " random rank-8 adapters under " + work);
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoint checkpoint = Checkpoint.open(model);
      LlamaModel llama = new LlamaModel(checkpoint.config(), new LoraSettings(8, 16, LoraSettings.PROJECTIONS));
      llama.initialize(manager, DataType.FLOAT32, checkpoint);
      Engines.seed(11);
      for (Path dir : dirs.values()) {
        for (LoraLinear p : llama.adaptedProjections()) {
          p.loraB().getArray().set(Initializers.normal(0.002f).initialize(manager, p.loraB().getArray().getShape(), DataType.FLOAT32).toFloatArray());
        }
        ModelFiles.writeAdapter(llama, model.toString(), dir);
      }
    }
    return dirs;
  }
}
