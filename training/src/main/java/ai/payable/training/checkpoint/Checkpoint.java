package ai.payable.training.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.model.WeightSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face model directory: {@code config.json} and the weights, in one
 * {@code model.safetensors} or sharded with {@code model.safetensors.index.json}. Opening reads
 * the config and every file's header; {@link #validate()} checks that the tensors are exactly
 * those the config implies, with their shapes, before anything is loaded.
 */
public final class Checkpoint implements WeightSource {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String WEIGHTS_INDEX = "model.safetensors.index.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final JsonNode rawConfig;
  private final LlamaConfig config;
  private final Map<String, SafeTensors> fileOf;

  private Checkpoint(Path dir, JsonNode rawConfig, LlamaConfig config, Map<String, SafeTensors> fileOf) {
    this.dir = dir;
    this.rawConfig = rawConfig;
    this.config = config;
    this.fileOf = fileOf;
  }

  /** Opens the model in {@code dir}: its config (strictly) and its weight files' headers. */
  public static Checkpoint open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory; a model is a Hugging Face directory with config.json and model.safetensors");
    }
    Path configFile = dir.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new IOException(configFile + " does not exist");
    }
    JsonNode raw = JSON.readTree(configFile.toFile());
    LlamaConfig config = LlamaConfig.fromHuggingFace(raw, configFile.toString());
    Map<String, SafeTensors> fileOf = new LinkedHashMap<>();
    Path index = dir.resolve(WEIGHTS_INDEX);
    if (Files.isRegularFile(dir.resolve(WEIGHTS))) {
      SafeTensors file = SafeTensors.open(dir.resolve(WEIGHTS));
      file.entries().keySet().forEach(name -> fileOf.put(name, file));
    } else if (Files.isRegularFile(index)) {
      Map<String, SafeTensors> shards = new HashMap<>();
      JsonNode map = JSON.readTree(index.toFile()).path("weight_map");
      if (!map.isObject() || map.isEmpty()) {
        throw new IOException(index + " has no weight_map");
      }
      for (Map.Entry<String, JsonNode> e : map.properties()) {
        String shardName = e.getValue().asText();
        SafeTensors shard = shards.get(shardName);
        if (shard == null) {
          shard = SafeTensors.open(dir.resolve(shardName));
          shards.put(shardName, shard);
        }
        if (!shard.entries().containsKey(e.getKey())) {
          throw new IOException(index + " places " + e.getKey() + " in " + shardName + ", which has no such tensor");
        }
        fileOf.put(e.getKey(), shard);
      }
    } else {
      throw new IOException(dir + " has neither " + WEIGHTS + " nor " + WEIGHTS_INDEX + " (only safetensors weights are read; convert .bin or .gguf first)");
    }
    return new Checkpoint(dir, raw, config, fileOf);
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** The model's shape. */
  public LlamaConfig config() {
    return config;
  }

  /** {@code config.json} as written. */
  public JsonNode rawConfig() {
    return rawConfig;
  }

  /** Every tensor name, with its entry. */
  public Map<String, SafeTensors.Entry> tensors() {
    Map<String, SafeTensors.Entry> all = new LinkedHashMap<>();
    fileOf.forEach((name, file) -> all.put(name, file.entry(name)));
    return all;
  }

  /**
   * Checks that the weights hold exactly the tensors {@code config.json} implies, each with its
   * shape; a checkpoint that fails is refused with every problem named (file, tensor, expected
   * and actual shape), rather than loading into a model that computes something else.
   */
  public void validate() {
    Map<String, Parameter> expected = new LlamaModel(config, null).baseParameters();
    List<String> problems = new ArrayList<>();
    expected.forEach((name, p) -> {
      SafeTensors file = fileOf.get(name);
      if (file == null) {
        problems.add("missing tensor " + name + " " + p.getShape());
      } else if (!Arrays.equals(file.entry(name).shape(), p.getShape().getShape())) {
        problems.add(file.file().getFileName() + ": " + name + " has shape " + Arrays.toString(file.entry(name).shape()) + " but config.json implies "
            + p.getShape());
      }
    });
    for (String name : fileOf.keySet()) {
      if (!expected.containsKey(name) && !ignorable(name)) {
        problems.add(fileOf.get(name).file().getFileName() + ": unexpected tensor " + name + " (config.json implies no such weight"
            + (name.endsWith(".bias") ? "; attention_bias/mlp_bias say there are no biases" : "") + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(dir + " does not match its config.json (" + problems.size() + " problem" + (problems.size() > 1 ? "s" : "")
          + "):\n  " + String.join("\n  ", problems.subList(0, Math.min(problems.size(), 20))) + (problems.size() > 20 ? "\n  …" : ""));
    }
  }

  /** Tensors that carry nothing the model needs: rotary tables some writers store, a tied head's copy. */
  private boolean ignorable(String name) {
    return name.endsWith("rotary_emb.inv_freq") || (config.tieWordEmbeddings() && name.equals("lm_head.weight"));
  }

  @Override
  public NDArray load(String name, Shape expected, NDManager manager) throws IOException {
    SafeTensors file = fileOf.get(name);
    if (file == null) {
      throw new IOException(dir + " has no tensor " + name);
    }
    long[] actual = file.entry(name).shape();
    if (!Arrays.equals(actual, expected.getShape())) {
      throw new IOException(file.file() + ": " + name + " has shape " + Arrays.toString(actual) + " but the model expects " + expected);
    }
    return file.load(name, manager);
  }

  /** The file that holds tensor {@code name}. */
  public Path fileOf(String name) {
    SafeTensors file = fileOf.get(name);
    if (file == null) {
      throw new IllegalArgumentException(dir + " has no tensor " + name);
    }
    return file.file();
  }

  /** Total bytes of weights. */
  public long weightBytes() {
    long total = 0;
    for (SafeTensors.Entry e : tensors().values()) {
      total += e.end() - e.begin();
    }
    return total;
  }
}
