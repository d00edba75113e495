package ai.payable.training.infer;

import ai.djl.ndarray.NDManager;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.config.Progress;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.training.engine.Engines;
import ai.payable.training.registry.ModelRecord;
import ai.payable.training.registry.ModelRegistry;
import ai.payable.training.chat.ChatFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Answers a file of prompts with one base model and many adapters, and writes an inference log in
 * the format {@code payable ingest inferences} reads. Prompts are JSON lines:
 * {@code {"prompt": "…", "adapter": "name or id" (optional), "requester": "0x…" (optional),
 * "retrieved": [{"record_id": "0x…", "score": 0.8}] (optional), "fee_wei": "…" (optional)}}.
 * Prompts are answered grouped by adapter (one swap per adapter) and logged in input order.
 */
public final class BatchInference {

  /**
   * How to answer.
   *
   * @param temperature 0 for greedy decoding
   * @param topP nucleus sampling (1 = off)
   * @param batchSize prompts decoded together
   * @param feeWei the fee of an answer whose prompt names none
   * @param start the timestamp of the first answer; later ones follow {@code spacingSeconds} apart
   */
  public record Settings(int maxNewTokens, float temperature, float topP, int batchSize, long seed, BigInteger feeWei, Instant start,
      long spacingSeconds) {
    public Settings {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
      }
    }
  }

  /** What was written. */
  public record Summary(int answers, Map<String, Integer> byAdapter, double seconds, long tokens) {}

  private final Lakehouse lakehouse;
  private final Path cache;
  private final Progress progress;

  public BatchInference(Lakehouse lakehouse, Path cache, Progress progress) {
    this.lakehouse = lakehouse;
    this.cache = cache;
    this.progress = progress;
  }

  /** Answers {@code prompts} with base {@code model} and {@code adapters} (names or ids), writing {@code out}. */
  public Summary run(String model, List<String> adapters, Path prompts, Path out, Settings settings) throws IOException {
    Serving serving = resolve(model, adapters);
    ModelRecord base = serving.base();
    Map<String, Path> adapterDirs = serving.adapterDirs();
    Map<String, String> idByName = serving.idByName();
    List<JsonNode> requests = readPrompts(prompts, idByName);
    progress.step("answering " + requests.size() + " prompts with " + base.modelId() + " and " + adapterDirs.size() + " adapter(s)");
    ObjectMapper json = new ObjectMapper();
    String[] lines = new String[requests.size()];
    Map<String, Integer> byAdapter = new LinkedHashMap<>();
    long tokens = 0;
    long started = System.nanoTime();
    Path baseDir = serving.baseDir();
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      AdapterSlots slots = new AdapterSlots(manager, baseDir, adapterDirs);
      try (ChatFormat format = ChatFormat.open(baseDir, slots.model().config().vocabSize())) {
        Generator generator = new Generator(slots.model(), format, manager);
        List<String> order = new ArrayList<>(slots.adapters());
        order.add(0, AdapterSlots.BASE);
        int done = 0;
        for (String adapter : order) {
          slots.use(adapter);
          List<Integer> group = new ArrayList<>();
          for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).path("adapter_id").asText("").equals(adapter)) {
              group.add(i);
            }
          }
          for (int from = 0; from < group.size(); from += settings.batchSize()) {
            List<Integer> batch = group.subList(from, Math.min(group.size(), from + settings.batchSize()));
            List<int[]> batchPrompts = new ArrayList<>();
            for (int i : batch) {
              batchPrompts.add(format.prompt(requests.get(i).get("prompt").asText()));
            }
            // Seeded per request, so an answer does not depend on which others share its batch.
            long[] seeds = batch.stream().mapToLong(i -> settings.seed() * 1_000_003L + i).toArray();
            List<Generator.Output> answered = generator.generate(batchPrompts, seeds,
                new Generator.Settings(settings.maxNewTokens(), settings.temperature(), settings.topP(), settings.seed(), List.of(), true));
            for (int k = 0; k < batch.size(); k++) {
              int i = batch.get(k);
              Generator.Output output = answered.get(k);
              tokens += output.tokens().length;
              lines[i] = logLine(json, requests.get(i), base.modelId(), adapter, i, output.text(), settings);
              byAdapter.merge(adapter.isEmpty() ? "(base)" : adapter, 1, Integer::sum);
              if (++done % 10 == 0 || done == requests.size()) {
                double s = (System.nanoTime() - started) / 1e9;
                System.err.printf(java.util.Locale.ROOT, "  .. %d/%d answers, %.1f tokens/s, ETA %.0fs%n", done, requests.size(), tokens / s,
                    s / done * (requests.size() - done));
              }
            }
          }
        }
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
    progress.step("");
    return new Summary(requests.size(), byAdapter, (System.nanoTime() - started) / 1e9, tokens);
  }

  /**
   * Answers {@code questions} with base {@code model} and {@code adapter} (a name or id, or none),
   * without logging: what a model builder does to try a model in a chat.
   */
  public List<Generator.Output> ask(String model, Optional<String> adapter, List<String> questions, Settings settings) throws IOException {
    Serving serving = resolve(model, adapter.map(List::of).orElse(List.of()));
    ModelRecord base = serving.base();
    Map<String, Path> adapterDirs = serving.adapterDirs();
    Path baseDir = serving.baseDir();
    progress.step("loading " + base.modelId() + adapter.map(a -> " with " + a).orElse(""));
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      AdapterSlots slots = new AdapterSlots(manager, baseDir, adapterDirs);
      adapterDirs.keySet().forEach(slots::use);
      try (ChatFormat format = ChatFormat.open(baseDir, slots.model().config().vocabSize())) {
        progress.step("answering " + questions.size() + " question(s)");
        List<int[]> prompts = questions.stream().map(format::prompt).toList();
        List<Generator.Output> out = new Generator(slots.model(), format, manager).generate(prompts,
            new Generator.Settings(settings.maxNewTokens(), settings.temperature(), settings.topP(), settings.seed(), List.of(), true));
        progress.step("");
        return out;
      }
    }
  }

  /** A base, local copies of its files and of its adapters', and every name the adapters go by. */
  private record Serving(ModelRecord base, Path baseDir, Map<String, Path> adapterDirs, Map<String, String> idByName) {}

  /** Looks up {@code model} and {@code adapters} (names or ids) and checks the adapters are the base's. */
  private Serving resolve(String model, List<String> adapters) throws IOException {
    ModelRegistry registry = new ModelRegistry(lakehouse);
    Configuration hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    ModelRecord base = registry.require(model);
    if (base.kind() == ModelKind.ADAPTER) {
      throw new IllegalArgumentException(model + " is an adapter; --model takes its base (" + base.parentId().orElse("?") + ") and --adapters the adapter");
    }
    Map<String, Path> adapterDirs = new LinkedHashMap<>();
    Map<String, String> idByName = new LinkedHashMap<>();
    for (String a : adapters) {
      ModelRecord r = registry.require(a);
      if (r.kind() != ModelKind.ADAPTER || !r.parentId().orElse("").equals(base.modelId())) {
        throw new IllegalArgumentException(a + " (" + r.modelId() + ") is not an adapter of " + base.modelId() + "; its base is " + r.parentId().orElse("none"));
      }
      adapterDirs.put(r.modelId(), ArtifactStore.materialize(r.artifactUri(), cache, hadoop));
      idByName.put(a, r.modelId());
      idByName.put(r.modelId(), r.modelId());
      idByName.put(r.name(), r.modelId());
    }
    return new Serving(base, ArtifactStore.materialize(base.artifactUri(), cache, hadoop), adapterDirs, idByName);
  }

  private static String logLine(ObjectMapper json, JsonNode req, String modelId, String adapter, int i, String output, Settings settings)
      throws IOException {
    String prompt = req.get("prompt").asText();
    ObjectNode log = json.createObjectNode();
    log.put("inference_id", Keccak.hex((modelId + "|" + adapter + "|" + i + "|" + prompt + "|" + settings.seed()).getBytes(StandardCharsets.UTF_8)));
    log.put("ts", settings.start().plusSeconds(i * settings.spacingSeconds()).toString());
    log.put("model_id", modelId);
    if (!adapter.isEmpty()) {
      log.put("adapter_id", adapter);
    }
    log.put("prompt", prompt);
    log.put("output", output);
    log.put("fee_wei", req.hasNonNull("fee_wei") ? req.get("fee_wei").asText() : settings.feeWei().toString());
    log.set("retrieved", req.has("retrieved") ? req.get("retrieved") : json.createArrayNode());
    if (req.hasNonNull("requester")) {
      log.put("requester", req.get("requester").asText());
    }
    return json.writeValueAsString(log);
  }

  private static List<JsonNode> readPrompts(Path file, Map<String, String> idByName) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("prompts file " + file + " does not exist");
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ":" + lineNo + ": not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (!node.isObject() || !node.path("prompt").isTextual() || node.get("prompt").asText().isBlank()) {
        throw new IllegalArgumentException(file + ":" + lineNo + ": field prompt: a non-empty string is required");
      }
      String adapter = node.path("adapter").asText("");
      if (!adapter.isEmpty() && !idByName.containsKey(adapter)) {
        throw new IllegalArgumentException(file + ":" + lineNo + ": field adapter: '" + adapter + "' is not among --adapters " + idByName.keySet());
      }
      ((ObjectNode) node).put("adapter_id", adapter.isEmpty() ? "" : idByName.get(adapter));
      out.add(node);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("prompts file " + file + " has no prompts");
    }
    return out;
  }
}
