package ai.payable.training.export;

import ai.djl.nn.Parameter;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.tokenizer.ByteTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's files in the layouts the Hugging Face ecosystem loads: a base model as
 * {@code config.json} ({@code LlamaForCausalLM}) + {@code model.safetensors} + {@code tokenizer.json},
 * and an adapter as PEFT's {@code adapter_config.json} + {@code adapter_model.safetensors}.
 */
public final class ModelFiles {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String ADAPTER_CONFIG = "adapter_config.json";
  public static final String ADAPTER_WEIGHTS = "adapter_model.safetensors";

  /** PEFT's prefix for a LoRA tensor of a causal LM: {@code base_model.model.} + module path. */
  static final String PEFT_PREFIX = "base_model.model.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFiles() {}

  /** Writes the base model (every parameter but LoRA's) with its config and tokenizer into {@code dir}. */
  public static void writeBase(LlamaModel model, Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    model.baseParameters().forEach((name, p) -> tensors.put(name, tensor(p)));
    SafeTensors.write(dir.resolve(WEIGHTS), tensors);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CONFIG).toFile(), model.config().toHuggingFace(ByteTokenizer.BOS, ByteTokenizer.EOS));
    JSON.writeValue(dir.resolve(TOKENIZER).toFile(), new ByteTokenizer().huggingFaceJson());
  }

  /** Writes the adapter of {@code model} in PEFT's layout, naming {@code baseModel} as its base. */
  public static void writeAdapter(LlamaModel model, String baseModel, Path dir) throws IOException {
    LoraSettings lora = model.lora();
    if (lora == null) {
      throw new IllegalArgumentException("the model has no adapter to write");
    }
    Files.createDirectories(dir);
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    for (LoraLinear p : model.adaptedProjections()) {
      tensors.put(PEFT_PREFIX + p.module() + ".lora_A.weight", tensor(p.loraA()));
      tensors.put(PEFT_PREFIX + p.module() + ".lora_B.weight", tensor(p.loraB()));
    }
    SafeTensors.write(dir.resolve(ADAPTER_WEIGHTS), tensors);
    ObjectNode config = JSON.createObjectNode();
    config.put("peft_type", "LORA");
    config.put("task_type", "CAUSAL_LM");
    config.put("r", lora.rank());
    config.put("lora_alpha", lora.alpha());
    config.put("lora_dropout", 0.0);
    config.put("bias", "none");
    config.put("fan_in_fan_out", false);
    config.put("inference_mode", true);
    config.put("use_rslora", false);
    var targets = config.putArray("target_modules");
    lora.targets().forEach(targets::add);
    config.put("base_model_name_or_path", baseModel);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ADAPTER_CONFIG).toFile(), config);
  }

  /** The shape in {@code dir/config.json}. */
  public static LlamaConfig readConfig(Path dir) throws IOException {
    JsonNode c = readJson(dir.resolve(CONFIG));
    return new LlamaConfig(c.path("vocab_size").asInt(), c.path("hidden_size").asInt(), c.path("num_hidden_layers").asInt(),
        c.path("num_attention_heads").asInt(), c.path("intermediate_size").asInt(), c.path("max_position_embeddings").asInt(),
        (float) c.path("rope_theta").asDouble(10_000), (float) c.path("rms_norm_eps").asDouble(1e-5));
  }

  /** The adapter settings in {@code dir/adapter_config.json}. */
  public static LoraSettings readAdapterConfig(Path dir) throws IOException {
    JsonNode c = readJson(dir.resolve(ADAPTER_CONFIG));
    if (!c.path("peft_type").asText().equals("LORA")) {
      throw new IOException(dir.resolve(ADAPTER_CONFIG) + ": peft_type is '" + c.path("peft_type").asText() + "', not LORA");
    }
    List<String> targets = new ArrayList<>();
    c.path("target_modules").forEach(t -> targets.add(t.asText()));
    return new LoraSettings(c.path("r").asInt(), (float) c.path("lora_alpha").asDouble(), targets);
  }

  /** Loads {@code dir/model.safetensors} into {@code model}'s base parameters; every one must be there with its shape. */
  public static void loadBase(LlamaModel model, Path dir) throws IOException {
    Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(dir.resolve(WEIGHTS)).tensors();
    for (Map.Entry<String, Parameter> e : model.baseParameters().entrySet()) {
      assign(e.getValue(), tensors.get(e.getKey()), dir.resolve(WEIGHTS), e.getKey());
    }
  }

  /** Loads {@code dir/adapter_model.safetensors} into {@code model}'s LoRA parameters. */
  public static void loadAdapter(LlamaModel model, Path dir) throws IOException {
    Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(dir.resolve(ADAPTER_WEIGHTS)).tensors();
    for (LoraLinear p : model.adaptedProjections()) {
      String a = PEFT_PREFIX + p.module() + ".lora_A.weight";
      String b = PEFT_PREFIX + p.module() + ".lora_B.weight";
      assign(p.loraA(), tensors.get(a), dir.resolve(ADAPTER_WEIGHTS), a);
      assign(p.loraB(), tensors.get(b), dir.resolve(ADAPTER_WEIGHTS), b);
    }
  }

  /** A model with the base in {@code baseDir} and the adapter in {@code adapterDir} (or none when null). */
  public static LlamaModel load(ai.djl.ndarray.NDManager manager, Path baseDir, Path adapterDir) throws IOException {
    LlamaModel model = new LlamaModel(readConfig(baseDir), adapterDir == null ? null : readAdapterConfig(adapterDir));
    model.initialize(manager);
    loadBase(model, baseDir);
    if (adapterDir != null) {
      loadAdapter(model, adapterDir);
    }
    return model;
  }

  private static void assign(Parameter p, SafeTensors.Tensor t, Path file, String name) {
    if (t == null) {
      throw new IllegalArgumentException(file + " has no tensor " + name);
    }
    long[] expected = p.getArray().getShape().getShape();
    if (!java.util.Arrays.equals(expected, t.shape())) {
      throw new IllegalArgumentException(file + ": " + name + " has shape " + java.util.Arrays.toString(t.shape())
          + " but the model expects " + java.util.Arrays.toString(expected));
    }
    p.getArray().set(t.data());
  }

  private static SafeTensors.Tensor tensor(Parameter p) {
    return new SafeTensors.Tensor(p.getArray().getShape().getShape(), p.getArray().toFloatArray());
  }

  private static JsonNode readJson(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " does not exist");
    }
    return JSON.readTree(file.toFile());
  }
}
