package ai.payable.training.infer;

import ai.djl.ndarray.NDManager;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.config.Progress;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.inference.InferenceLogLine;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.Wei;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.engine.Engines;
import ai.payable.training.registry.ModelRegistry;
import ai.payable.training.retrieval.Retriever;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;

/**
 * Answers a file of prompts with one base model and many adapters, and writes an inference log in
 * the format {@code payable ingest inferences} reads. Prompts are JSON lines:
 * {@code {"prompt": "…", "adapter": "name or id" (optional), "requester": "0x…" (optional),
 * "retrieved": [{"record_id": "0x…", "score": 0.8}] (optional), "retrieve": K (optional, records to retrieve for
 * this line instead of {@link Settings#retrieve()}), "fee_wei": "…" (optional)}}.
 * Prompts are answered in batches that mix adapters (each row with its own) and logged in input order,
 * with the tokens the model read and wrote.
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
      long spacingSeconds, int retrieve) {
    public Settings {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
      }
      if (retrieve < 0) {
        throw new IllegalArgumentException("records to retrieve must be 0 or more, not " + retrieve);
      }
    }

    /** How each answer is decoded. */
    Generator.Settings decoding() {
      return new Generator.Settings(maxNewTokens, temperature, topP, seed, List.of(), true);
    }

    /** Without retrieval. */
    public Settings(int maxNewTokens, float temperature, float topP, int batchSize, long seed, BigInteger feeWei, Instant start, long spacingSeconds) {
      this(maxNewTokens, temperature, topP, batchSize, seed, feeWei, start, spacingSeconds, 0);
    }
  }

  /**
   * What was written.
   *
   * @param blankLines blank lines of the prompts file, skipped
   * @param byAdapter answers per adapter id ("(base)" for none)
   * @param tokens tokens generated
   */
  public record Summary(int answers, int blankLines, Map<String, Integer> byAdapter, double seconds, long tokens) {}

  private final Lakehouse lakehouse;
  private final Path cache;
  private final ArtifactStore indexes;
  private final GatewaySigner gateway;
  private final Progress progress;

  /** Serving without retrieval. */
  public BatchInference(Lakehouse lakehouse, Path cache, GatewaySigner gateway, Progress progress) {
    this(lakehouse, cache, null, gateway, progress);
  }

  /**
   * @param cache local copies of remote models and indexes
   * @param indexes the store holding the DataNets' retrieval indexes (the model store), or null
   * @param gateway signs every log line: ingestion pays only lines a registered gateway signed
   */
  public BatchInference(Lakehouse lakehouse, Path cache, ArtifactStore indexes, GatewaySigner gateway, Progress progress) {
    this.lakehouse = lakehouse;
    this.cache = cache;
    this.indexes = indexes;
    this.gateway = gateway;
    this.progress = progress;
  }

  /**
   * Answers {@code prompts} with base {@code model} and {@code adapters} (names or ids), writing {@code out}.
   * Every prompt is checked before the first is answered (a bad line fails the run naming its file
   * and line, and nothing is written); blank lines are skipped and counted. Batches mix adapters:
   * each row uses its own, in one forward pass per step. The log is written to a temporary file and
   * moved into place, so a crash never leaves half a log.
   */
  public Summary run(String model, List<String> adapters, Path prompts, Path out, Settings settings) throws IOException {
    Serving serving = resolve(model, adapters);
    ModelRow base = serving.base();
    long started = System.nanoTime();
    long tokens = 0;
    Map<String, Integer> byAdapter = new LinkedHashMap<>();
    String[] lines;
    int blank;
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        AdapterBank bank = new AdapterBank(manager, serving.baseDir(), serving.adapterDirs());
        ChatFormat format = ChatFormat.open(serving.baseDir(), bank.model().config().vocabSize())) {
      PromptFile file = PromptFile.read(prompts, serving.idByName(), format, bank.model().config().maxPositions());
      List<PromptFile.Request> requests = file.requests().stream().anyMatch(r -> r.retrieve(settings.retrieve()) > 0)
          ? ground(file.requests(), serving, format, bank.model().config().maxPositions() - settings.maxNewTokens(), settings.retrieve(), prompts)
          : file.requests();
      blank = file.blankLines();
      progress.step("answering " + requests.size() + " prompts with " + base.modelId() + " and " + bank.adapters().size() + " adapter(s)");
      lines = new String[requests.size()];
      Generator generator = new Generator(bank, format, manager);
      Generator.Settings decoding = settings.decoding();
      for (int from = 0; from < requests.size(); from += settings.batchSize()) {
        List<PromptFile.Request> batch = requests.subList(from, Math.min(requests.size(), from + settings.batchSize()));
        List<int[]> ids = batch.stream().map(PromptFile.Request::tokens).toList();
        int[] slots = batch.stream().mapToInt(r -> bank.slot(r.adapterId())).toArray();
        long[] seeds = batch.stream().mapToLong(r -> decoding.promptSeed(r.index())).toArray();
        List<Generator.Output> answered = generator.generate(ids, seeds, slots, decoding);
        for (int k = 0; k < batch.size(); k++) {
          PromptFile.Request request = batch.get(k);
          Generator.Output output = answered.get(k);
          tokens += output.tokens().length;
          lines[request.index()] = logLine(request, base.modelId(), output, settings);
          byAdapter.merge(request.adapterId().isEmpty() ? "(base)" : request.adapterId(), 1, Integer::sum);
        }
        int done = from + batch.size();
        double s = (System.nanoTime() - started) / 1e9;
        System.err.printf(java.util.Locale.ROOT, "  .. %d/%d answers, %.1f tokens/s, ETA %.0fs%n", done, requests.size(), tokens / s,
            s / done * (requests.size() - done));
      }
    }
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = Files.createTempFile(parent, out.getFileName().toString(), ".partial");
    try (BufferedWriter w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
    Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    progress.step("");
    return new Summary(lines.length, blank, byAdapter, (System.nanoTime() - started) / 1e9, tokens);
  }

  /**
   * Answers {@code questions} with base {@code model} and {@code adapter} (a name or id, or none),
   * without logging: what a model builder does to try a model in a chat.
   */
  public List<Generator.Output> ask(String model, Optional<String> adapter, List<String> questions, Settings settings) throws IOException {
    Serving serving = resolve(model, adapter.map(List::of).orElse(List.of()));
    progress.step("loading " + serving.base().modelId() + adapter.map(a -> " with " + a).orElse(""));
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        AdapterBank bank = new AdapterBank(manager, serving.baseDir(), serving.adapterDirs());
        ChatFormat format = ChatFormat.open(serving.baseDir(), bank.model().config().vocabSize())) {
      progress.step("answering " + questions.size() + " question(s)");
      List<int[]> prompts = questions.stream().map(format::prompt).toList();
      int slot = adapter.map(a -> bank.slot(serving.idByName().get(a))).orElse(0);
      Generator.Settings decoding = settings.decoding();
      long[] seeds = IntStream.range(0, prompts.size()).mapToLong(decoding::promptSeed).toArray();
      int[] slots = IntStream.range(0, prompts.size()).map(i -> slot).toArray();
      List<Generator.Output> out = new Generator(bank, format, manager).generate(prompts, seeds, slots, decoding);
      progress.step("");
      return out;
    }
  }

  /** A base, local copies of its files and of its adapters', and every name the adapters go by. */
  private record Serving(ModelRow base, Path baseDir, Map<String, Path> adapterDirs, Map<String, String> idByName,
      Map<String, List<String>> datanetsOf) {}

  /** Looks up {@code model} and {@code adapters} (names or ids) and checks the adapters are the base's. */
  private Serving resolve(String model, List<String> adapters) throws IOException {
    ModelRegistry registry = new ModelRegistry(lakehouse);
    Configuration hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    ModelRow base = registry.require(model);
    if (base.kind() == ModelKind.ADAPTER) {
      throw new IllegalArgumentException(model + " is an adapter; --model takes its base (" + base.parentId().orElse("?") + ") and --adapters the adapter");
    }
    Map<String, Path> adapterDirs = new LinkedHashMap<>();
    Map<String, String> idByName = new LinkedHashMap<>();
    Map<String, List<String>> datanetsOf = new LinkedHashMap<>();
    for (String a : adapters) {
      ModelRow r = registry.require(a);
      if (r.kind() != ModelKind.ADAPTER || !r.parentId().orElse("").equals(base.modelId())) {
        throw new IllegalArgumentException(a + " (" + r.modelId() + ") is not an adapter of " + base.modelId() + "; its base is " + r.parentId().orElse("none"));
      }
      adapterDirs.put(r.modelId(), ArtifactStore.materialize(r.artifactUri(), cache, hadoop));
      idByName.put(a, r.modelId());
      idByName.put(r.modelId(), r.modelId());
      idByName.put(r.name(), r.modelId());
      datanetsOf.put(r.modelId(), r.datanets());
    }
    return new Serving(base, ArtifactStore.materialize(base.artifactUri(), cache, hadoop), adapterDirs, idByName, datanetsOf);
  }

  /**
   * Puts the records retrieved for each request into its prompt: the top {@code k} (or the line's own
   * {@code retrieve}) of its adapter's DataNets' indexes, as many as fit in {@code budget} tokens.
   * Requests to the base model have no DataNet and stay as they are.
   */
  private List<PromptFile.Request> ground(List<PromptFile.Request> requests, Serving serving, ChatFormat format, int budget, int k, Path prompts)
      throws IOException {
    if (indexes == null) {
      throw new IllegalStateException("retrieval needs the store of the DataNets' indexes");
    }
    Configuration hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    Map<String, Retriever> retrievers = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, List<String>> e : serving.datanetsOf().entrySet()) {
        retrievers.put(e.getKey(), Retriever.open(indexes, e.getValue(), cache.resolve("indexes"), hadoop));
      }
      progress.step("retrieving up to " + k + " records per question");
      List<PromptFile.Request> grounded = new ArrayList<>();
      for (PromptFile.Request r : requests) {
        int wanted = r.retrieve(k);
        if (wanted == 0) {
          grounded.add(r);
          continue;
        }
        if (r.json().has("retrieved")) {
          throw new IllegalArgumentException(prompts + ":" + r.line() + ": field retrieved: the line names its records and retrieval was asked to find them; "
              + "use one or the other");
        }
        Retriever retriever = retrievers.get(r.adapterId());
        if (retriever == null) {
          grounded.add(r);
          continue;
        }
        String question = r.json().get("prompt").asText();
        GroundedPrompt.Built built = GroundedPrompt.build(format, question, retriever.search(question, wanted), budget);
        grounded.add(new PromptFile.Request(r.index(), r.line(), r.json(), r.adapterId(), built.tokens(), built.used()));
      }
      return grounded;
    } finally {
      for (Retriever r : retrievers.values()) {
        r.close();
      }
    }
  }

  private String logLine(PromptFile.Request request, String modelId, Generator.Output output, Settings settings) {
    JsonNode req = request.json();
    String adapter = request.adapterId();
    int i = request.index();
    String prompt = req.get("prompt").asText();
    String id = Keccak.hex((modelId + "|" + adapter + "|" + i + "|" + prompt + "|" + settings.seed()).getBytes(StandardCharsets.UTF_8));
    Wei fee = req.hasNonNull("fee_wei") ? Wei.parse(req.get("fee_wei").asText()) : new Wei(settings.feeWei());
    List<InferenceLogLine.Retrieved> retrieved = request.retrieved() != null
        ? request.retrieved().stream().map(h -> new InferenceLogLine.Retrieved(h.recordId(), h.score())).toList()
        : request.named();
    return gateway.sign(new InferenceLogLine(id, settings.start().plusSeconds(i * settings.spacingSeconds()), modelId, adapter.isEmpty() ? null : adapter,
        prompt, output.text(), request.tokens().length, output.tokens().length, fee, retrieved,
        req.hasNonNull("requester") ? req.get("requester").asText() : null)).toJson();
  }

}
