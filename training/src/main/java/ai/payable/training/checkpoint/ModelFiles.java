package ai.payable.training.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.SpecialTokens;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.tokenizer.ByteTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's files in the layouts the Hugging Face ecosystem loads: a base model as
 * {@code config.json} ({@code LlamaForCausalLM}), {@code model.safetensors} and its tokenizer
 * files, and an adapter as PEFT's {@code adapter_config.json} + {@code adapter_model.safetensors}.
 */
public final class ModelFiles {

  public static final String CONFIG = Checkpoint.CONFIG;
  public static final String WEIGHTS = Checkpoint.WEIGHTS;
  public static final String TOKENIZER = ChatFormat.TOKENIZER;
  public static final String ADAPTER_CONFIG = "adapter_config.json";
  public static final String ADAPTER_WEIGHTS = "adapter_model.safetensors";

  /** The tokenizer's files, copied with a model derived from another (a student, an imported base). */
  public static final List<String> TOKENIZER_FILES = List.of(ChatFormat.TOKENIZER, ChatFormat.TOKENIZER_CONFIG, ChatFormat.CHAT_TEMPLATE,
      ChatFormat.GENERATION_CONFIG, "special_tokens_map.json");

  /** PEFT's prefix for a LoRA tensor of a causal LM: {@code base_model.model.} + module path. */
  static final String PEFT_PREFIX = "base_model.model.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFiles() {}

  /**
   * Writes the base model (every parameter but LoRA's) with its config into {@code dir}, and its
   * tokenizer: the files of {@code tokenizerFrom} (the model it was derived from), or the
   * byte-level tokenizer's when null.
   */
  public static void writeBase(LlamaModel model, Path dir, Path tokenizerFrom) throws IOException {
    Files.createDirectories(dir);
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    model.baseParameters().forEach((name, p) -> tensors.put(name, tensor(p)));
    SafeTensors.write(dir.resolve(WEIGHTS), tensors);
    SpecialTokens specials;
    if (tokenizerFrom == null) {
      JSON.writeValue(dir.resolve(TOKENIZER).toFile(), new ByteTokenizer().huggingFaceJson());
      ObjectNode tc = JSON.createObjectNode();
      tc.put("tokenizer_class", "PreTrainedTokenizerFast").put("bos_token", "<s>").put("eos_token", "</s>").put("pad_token", "<pad>");
      tc.put("model_max_length", model.config().maxPositions()).put("chat_template", ChatFormat.PLAIN_TEMPLATE);
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ChatFormat.TOKENIZER_CONFIG).toFile(), tc);
      ObjectNode gc = JSON.createObjectNode().put("bos_token_id", ByteTokenizer.BOS).put("eos_token_id", ByteTokenizer.EOS)
          .put("pad_token_id", ByteTokenizer.PAD);
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ChatFormat.GENERATION_CONFIG).toFile(), gc);
      specials = ChatFormat.bytes().specials();
    } else {
      for (String f : TOKENIZER_FILES) {
        if (Files.isRegularFile(tokenizerFrom.resolve(f))) {
          Files.copy(tokenizerFrom.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      try (ChatFormat format = ChatFormat.open(tokenizerFrom, model.config().vocabSize())) {
        specials = format.specials();
      }
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CONFIG).toFile(),
        model.config().toHuggingFace(specials.bosId(), specials.eosId(), specials.padId()));
  }

  /**
   * Writes the adapter of {@code model} in PEFT's layout.
   *
   * @param baseModel what {@code base_model_name_or_path} says: the base's folder, so a user (or
   *     {@code AutoPeftModelForCausalLM}) finds it
   */
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
    config.put("lora_dropout", lora.dropout());
    config.put("bias", "none");
    config.put("fan_in_fan_out", false);
    config.put("inference_mode", true);
    config.put("use_rslora", lora.rslora());
    config.put("use_dora", false);
    var targets = config.putArray("target_modules");
    lora.targets().forEach(targets::add);
    config.put("base_model_name_or_path", baseModel);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ADAPTER_CONFIG).toFile(), config);
  }

  /**
   * The adapter settings in {@code dir/adapter_config.json}. PEFT options this project does not
   * implement (DoRA, per-module rank or alpha patterns, trained biases, layer subsets, extra
   * trained modules) are refused by name: loading such an adapter without them would silently
   * give other answers than PEFT does.
   */
  public static LoraSettings readAdapterConfig(Path dir) throws IOException {
    Path file = dir.resolve(ADAPTER_CONFIG);
    JsonNode c = readJson(file);
    if (!c.path("peft_type").asText().equals("LORA")) {
      throw new IOException(file + ": peft_type is '" + c.path("peft_type").asText() + "', not LORA");
    }
    List<String> unsupported = new ArrayList<>();
    if (c.path("use_dora").asBoolean(false)) {
      unsupported.add("use_dora: true (DoRA)");
    }
    for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
      if (c.path(pattern).isObject() && !c.path(pattern).isEmpty()) {
        unsupported.add(pattern + " " + c.path(pattern) + " (per-module ranks or alphas)");
      }
    }
    if (!c.path("bias").asText("none").equals("none")) {
      unsupported.add("bias: " + c.path("bias").asText() + " (trained biases)");
    }
    if (c.path("fan_in_fan_out").asBoolean(false)) {
      unsupported.add("fan_in_fan_out: true (Conv1D layers)");
    }
    for (String field : List.of("layers_to_transform", "modules_to_save")) {
      if (!c.path(field).isMissingNode() && !c.path(field).isNull()) {
        unsupported.add(field + ": " + c.path(field));
      }
    }
    if (!unsupported.isEmpty()) {
      throw new IOException(file + ": PEFT options not supported here: " + String.join("; ", unsupported));
    }
    List<String> targets = new ArrayList<>();
    JsonNode t = c.path("target_modules");
    if (t.isTextual()) {
      if (!t.asText().equals("all-linear")) {
        throw new IOException(file + ": target_modules = \"" + t.asText() + "\" (a regular expression) is not supported; list the projections");
      }
      targets.add("all-linear");
    } else {
      t.forEach(x -> targets.add(x.asText()));
    }
    try {
      return new LoraSettings(c.path("r").asInt(), (float) c.path("lora_alpha").asDouble(), targets, (float) c.path("lora_dropout").asDouble(0),
          c.path("use_rslora").asBoolean(false));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** The base model's name the adapter in {@code dir} records. */
  public static String adapterBase(Path dir) throws IOException {
    return readJson(dir.resolve(ADAPTER_CONFIG)).path("base_model_name_or_path").asText("");
  }

  /** Loads {@code dir/adapter_model.safetensors} into {@code model}'s LoRA parameters; every tensor must be there with its shape. */
  public static void loadAdapter(LlamaModel model, Path dir) throws IOException {
    SafeTensors file = SafeTensors.open(dir.resolve(ADAPTER_WEIGHTS));
    List<String> expected = new ArrayList<>();
    for (LoraLinear p : model.adaptedProjections()) {
      String a = PEFT_PREFIX + p.module() + ".lora_A.weight";
      String b = PEFT_PREFIX + p.module() + ".lora_B.weight";
      assign(p.loraA(), file, a);
      assign(p.loraB(), file, b);
      expected.add(a);
      expected.add(b);
    }
    for (String name : file.entries().keySet()) {
      if (!expected.contains(name)) {
        throw new IOException(file.file() + ": unexpected tensor " + name + "; adapter_config.json targets " + model.lora().targets());
      }
    }
  }

  /** A float32 model with the base in {@code baseDir} and the adapter in {@code adapterDir} (or none when null). */
  public static LlamaModel load(NDManager manager, Path baseDir, Path adapterDir) throws IOException {
    Checkpoint base = Checkpoint.open(baseDir);
    base.validate();
    LlamaModel model = new LlamaModel(base.config(), adapterDir == null ? null : readAdapterConfig(adapterDir));
    model.initialize(manager, DataType.FLOAT32, base);
    if (adapterDir != null) {
      loadAdapter(model, adapterDir);
    }
    return model;
  }

  private static void assign(Parameter p, SafeTensors file, String name) throws IOException {
    if (!file.entries().containsKey(name)) {
      throw new IOException(file.file() + " has no tensor " + name);
    }
    SafeTensors.Tensor t = file.read(name);
    long[] expected = p.getArray().getShape().getShape();
    if (!Arrays.equals(expected, t.shape())) {
      throw new IOException(file.file() + ": " + name + " has shape " + Arrays.toString(t.shape()) + " but the model expects " + Arrays.toString(expected));
    }
    p.getArray().set(t.data());
  }

  private static SafeTensors.Tensor tensor(Parameter p) {
    return new SafeTensors.Tensor(p.getArray().getShape().getShape(), p.getArray().toType(DataType.FLOAT32, false).toFloatArray());
  }

  private static JsonNode readJson(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " does not exist");
    }
    return JSON.readTree(file.toFile());
  }
}
