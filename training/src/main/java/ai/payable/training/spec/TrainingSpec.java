package ai.payable.training.spec;

import ai.payable.core.identity.Address;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.train.Losses;
import ai.payable.training.train.TrainingLoop;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One training job, as a data researcher writes it in YAML (see {@code training/specs/}): what to
 * train (a teacher, a distilled student, or a LoRA adapter on a base), on which DataNets, with
 * which shape, optimiser, schedule and seed. Parsed strictly: unknown keys and bad values fail
 * with the file and field named.
 *
 * @param model the shape of a model trained from scratch; null for adapters and for students
 *     derived from their teacher's layers
 * @param keepLayers the teacher layers a derived student keeps (empty unless derived)
 * @param maxLength tokens per training sequence (longer records are cut)
 * @param text the YAML as written, stored with the model for lineage
 */
public record TrainingSpec(String name, Kind kind, List<String> datanets, Optional<String> filter, Optional<String> base,
    Optional<String> owner, LlamaConfig model, LoraSettings lora, Distillation distill, LayerChoice keepLayers, TrainingLoop.Settings training,
    String device, double heldoutFraction, int maxLength, Features features, String text) {

  /** What a job trains. */
  public enum Kind {
    /** A model trained from scratch on the records. */
    TEACHER,
    /** A smaller model trained from scratch, optionally distilled from a teacher. */
    STUDENT,
    /** A LoRA adapter on a base model (usually a student), per DataNet. */
    ADAPTER
  }

  /**
   * Knowledge distillation from {@code teacher} (a model name or id), optionally with one of its
   * adapters switched on ({@code teacherAdapter}, a name or id, or empty).
   */
  public record Distillation(String teacher, Optional<String> teacherAdapter, float alpha, float temperature, Losses.Divergence divergence) {}

  /**
   * Which of the teacher's layers a derived student keeps (DistilBERT's initialisation): every
   * {@code every}-th layer starting at the first, or the listed ones.
   */
  public record LayerChoice(int every, List<Integer> layers) {
    /** No derivation: a student trained from scratch. */
    public static final LayerChoice NONE = new LayerChoice(0, List.of());

    /** Whether the student is derived from its teacher's layers. */
    public boolean derived() {
      return every > 0 || !layers.isEmpty();
    }

    /** The teacher layers kept, for a teacher of {@code teacherLayers} layers. */
    public int[] resolve(int teacherLayers, String source) {
      if (every > 0) {
        return java.util.stream.IntStream.iterate(0, i -> i < teacherLayers, i -> i + every).toArray();
      }
      for (int l : layers) {
        if (l < 0 || l >= teacherLayers) {
          throw new IllegalArgumentException(source + ": init.keep_layers names layer " + l + " but the teacher has layers 0.." + (teacherLayers - 1));
        }
      }
      return layers.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /**
   * How adapter gradients are projected for attribution.
   *
   * @param layers how many of the top decoder layers' adapted modules give features; 0 means every
   *     layer (on SmolLM2 the top layers find a fact's source more often: benchmarks/RESULTS.md)
   */
  public record Features(int projectionDim, long seed, int layers) {}

  private static final Set<String> TOP = Set.of("name", "kind", "datanets", "filter", "base", "owner", "model", "init", "tokenizer", "lora", "distill",
      "optimizer", "schedule", "epochs", "batch_size", "seed", "device", "heldout_fraction", "max_length", "features");

  /** Reads and validates {@code file}. */
  public static TrainingSpec read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("training spec " + file + " does not exist");
    }
    return parse(Files.readString(file), file.toString());
  }

  /** Parses and validates spec text; {@code source} names it in errors. */
  public static TrainingSpec parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": a training spec is a YAML mapping (name:, kind:, datanets:, ...)");
    }
    Reader r = new Reader(source);
    r.onlyKeys(root, "", TOP);
    String name = r.text(root, "name");
    if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw r.error("name", name, "use lower-case letters, digits and dashes (it names the model)");
    }
    Kind kind = r.choice(root, "kind", Kind.class);
    List<String> datanets = new ArrayList<>();
    root.path("datanets").forEach(d -> datanets.add(d.asText()));
    Optional<String> filter = r.optionalText(root, "filter");
    if (datanets.isEmpty() && filter.isEmpty()) {
      throw r.error("datanets", "[]", "name at least one DataNet, or give a filter (a SQL condition over records)");
    }
    if (!r.optionalText(root, "tokenizer").orElse(ByteTokenizer.NAME).equals(ByteTokenizer.NAME)) {
      throw r.error("tokenizer", root.path("tokenizer").asText(), "models trained from scratch use the byte-level tokenizer 'bytes'; "
          + "adapters and derived students use their base's tokenizer");
    }
    Optional<String> base = r.optionalText(root, "base");
    Optional<String> owner = r.optionalText(root, "owner").map(o -> {
      try {
        return Address.parse(o).checksummed();
      } catch (IllegalArgumentException e) {
        throw r.error("owner", o, e.getMessage());
      }
    });

    LlamaConfig model = null;
    LoraSettings lora = null;
    if (kind == Kind.ADAPTER) {
      if (base.isEmpty()) {
        throw r.error("base", "(missing)", "an adapter needs the base model it adapts (a model name or id)");
      }
      if (root.has("model")) {
        throw r.error("model", "...", "an adapter takes its shape from its base; remove model:");
      }
      JsonNode l = root.path("lora");
      r.onlyKeys(l, "lora.", Set.of("rank", "alpha", "targets", "dropout", "rslora"));
      List<String> targets = new ArrayList<>();
      if (l.path("targets").isTextual()) {
        targets.add(l.path("targets").asText());
      }
      l.path("targets").forEach(t -> targets.add(t.asText()));
      try {
        lora = new LoraSettings(r.integer(l, "lora.rank", 8), (float) r.number(l, "lora.alpha", 16), targets.isEmpty() ? List.of("q_proj", "v_proj") : targets,
            (float) r.number(l, "lora.dropout", 0), r.bool(l, "lora.rslora", false));
      } catch (IllegalArgumentException e) {
        throw prefixed(source, e);
      }
    } else if (root.has("init")) {
      if (kind != Kind.STUDENT || root.has("model") || root.has("lora")) {
        throw r.error("init", "...", "only a student is derived from its teacher's layers, and then it takes no model: (its shape is the teacher's) and no lora:");
      }
    } else {
      if (root.has("lora")) {
        throw r.error("lora", "...", "only kind: adapter takes lora:");
      }
      JsonNode m = root.path("model");
      r.onlyKeys(m, "model.", Set.of("hidden_size", "layers", "heads", "intermediate_size", "context"));
      try {
        model = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, r.integer(m, "model.hidden_size", 64), r.integer(m, "model.layers", 2),
            r.integer(m, "model.heads", 4), r.integer(m, "model.intermediate_size", 172), r.integer(m, "model.context", 128));
      } catch (IllegalArgumentException e) {
        throw prefixed(source, e);
      }
    }

    Distillation distill = null;
    if (root.has("distill")) {
      if (kind != Kind.STUDENT) {
        throw r.error("distill", "...", "only kind: student is distilled");
      }
      JsonNode d = root.path("distill");
      r.onlyKeys(d, "distill.", Set.of("teacher", "teacher_adapter", "alpha", "temperature", "divergence"));
      float alpha = (float) r.number(d, "distill.alpha", 0.5);
      float temperature = (float) r.number(d, "distill.temperature", 1.0);
      if (alpha < 0 || alpha > 1) {
        throw r.error("distill.alpha", String.valueOf(alpha), "must be within [0, 1] (the weight of the teacher's soft targets)");
      }
      if (!(temperature > 0)) {
        throw r.error("distill.temperature", String.valueOf(temperature), "must be positive");
      }
      distill = new Distillation(r.text(d, "distill.teacher"), r.optionalText(d, "teacher_adapter"), alpha, temperature,
          r.optionalText(d, "divergence").map(v -> r.enumValue("distill.divergence", v, Losses.Divergence.class)).orElse(Losses.Divergence.FORWARD_KL));
    }

    LayerChoice keep = LayerChoice.NONE;
    if (root.has("init")) {
      if (distill == null) {
        throw r.error("init", "...", "a derived student takes its layers from its teacher: give distill: {teacher: …}");
      }
      JsonNode init = root.path("init");
      r.onlyKeys(init, "init.", Set.of("keep_every", "keep_layers"));
      List<Integer> layers = new ArrayList<>();
      init.path("keep_layers").forEach(x -> layers.add(x.asInt()));
      int every = r.integer(init, "init.keep_every", 0);
      if ((every > 0) == !layers.isEmpty() || every < 0) {
        throw r.error("init", init.toString(), "give either keep_every: N (every N-th layer from the first) or keep_layers: [i, j, …]");
      }
      keep = new LayerChoice(every, List.copyOf(layers));
    }
    int maxLength = r.integer(root, "max_length", model != null ? model.maxPositions() : 512);
    if (maxLength < 2) {
      throw r.error("max_length", String.valueOf(maxLength), "must be at least 2 tokens");
    }

    JsonNode opt = root.path("optimizer");
    r.onlyKeys(opt, "optimizer.", Set.of("name", "learning_rate", "weight_decay"));
    if (!r.optionalText(opt, "name").orElse("adam").equals("adam")) {
      throw r.error("optimizer.name", opt.path("name").asText(), "only adam is supported");
    }
    JsonNode schedule = root.path("schedule");
    r.onlyKeys(schedule, "schedule.", Set.of("warmup_steps"));
    TrainingLoop.Settings training;
    try {
      training = new TrainingLoop.Settings(r.integer(root, "epochs", 3), r.integer(root, "batch_size", 16),
          (float) r.number(opt, "optimizer.learning_rate", 3e-3), r.integer(schedule, "schedule.warmup_steps", 10),
          (float) r.number(opt, "optimizer.weight_decay", 0), r.integer(root, "seed", 7));
    } catch (IllegalArgumentException e) {
      throw prefixed(source, e);
    }
    String device = r.optionalText(root, "device").orElse("cpu");
    if (!device.equals("cpu") && !device.equals("gpu")) {
      throw r.error("device", device, "must be cpu or gpu");
    }
    double heldout = r.number(root, "heldout_fraction", 0.1);
    if (heldout < 0 || heldout >= 0.5) {
      throw r.error("heldout_fraction", String.valueOf(heldout), "must be within [0, 0.5)");
    }
    JsonNode f = root.path("features");
    r.onlyKeys(f, "features.", Set.of("projection_dim", "seed", "layers"));
    Features features = new Features(r.integer(f, "features.projection_dim", 32), r.integer(f, "features.seed", 11), r.integer(f, "features.layers", 0));
    if (features.layers() < 0) {
      throw r.error("features.layers", String.valueOf(features.layers()), "must be ≥ 0 (0: every layer)");
    }
    if (features.projectionDim() <= 0 || features.projectionDim() > 4096) {
      throw r.error("features.projection_dim", String.valueOf(features.projectionDim()), "must be within 1..4096");
    }
    return new TrainingSpec(name, kind, List.copyOf(datanets), filter, base, owner, model, lora, distill, keep, training, device, heldout, maxLength,
        features, yaml);
  }

  private static IllegalArgumentException prefixed(String source, IllegalArgumentException e) {
    return e.getMessage().startsWith(source + ": ") ? e : new IllegalArgumentException(source + ": " + e.getMessage(), e);
  }

  /** Field access with errors naming the file, field and value. */
  private record Reader(String source) {

    IllegalArgumentException error(String field, String value, String what) {
      return new IllegalArgumentException(source + ": " + field + " = " + value + ": " + what);
    }

    void onlyKeys(JsonNode node, String prefix, Set<String> allowed) {
      if (node.isMissingNode() || node.isNull()) {
        return;
      }
      if (!node.isObject()) {
        throw error(prefix.isEmpty() ? "(spec)" : prefix.substring(0, prefix.length() - 1), node.toString(), "must be a mapping");
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) {
          throw new IllegalArgumentException(source + ": unknown key '" + prefix + k + "'; allowed: " + new java.util.TreeSet<>(allowed));
        }
      }
    }

    String text(JsonNode node, String field) {
      String leaf = field.substring(field.lastIndexOf('.') + 1);
      JsonNode v = node.path(leaf);
      if (!v.isTextual() || v.asText().isBlank()) {
        throw error(field, v.isMissingNode() ? "(missing)" : v.toString(), "required text");
      }
      return v.asText();
    }

    Optional<String> optionalText(JsonNode node, String leaf) {
      JsonNode v = node.path(leaf);
      return v.isMissingNode() || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    int integer(JsonNode node, String field, int fallback) {
      JsonNode v = node.path(field.substring(field.lastIndexOf('.') + 1));
      if (v.isMissingNode() || v.isNull()) {
        return fallback;
      }
      if (!v.canConvertToInt() || !v.isIntegralNumber()) {
        throw error(field, v.toString(), "must be an integer");
      }
      return v.asInt();
    }

    boolean bool(JsonNode node, String field, boolean fallback) {
      JsonNode v = node.path(field.substring(field.lastIndexOf('.') + 1));
      if (v.isMissingNode() || v.isNull()) {
        return fallback;
      }
      if (!v.isBoolean()) {
        throw error(field, v.toString(), "must be true or false");
      }
      return v.asBoolean();
    }

    double number(JsonNode node, String field, double fallback) {
      JsonNode v = node.path(field.substring(field.lastIndexOf('.') + 1));
      if (v.isMissingNode() || v.isNull()) {
        return fallback;
      }
      if (!v.isNumber()) {
        throw error(field, v.toString(), "must be a number");
      }
      return v.asDouble();
    }

    <E extends Enum<E>> E choice(JsonNode node, String field, Class<E> type) {
      return enumValue(field, text(node, field), type);
    }

    <E extends Enum<E>> E enumValue(String field, String value, Class<E> type) {
      try {
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
          names.add(c.name().toLowerCase(Locale.ROOT));
        }
        throw error(field, value, "choose one of " + names);
      }
    }
  }
}
