package ai.payable.training.spec;

import ai.payable.core.config.StrictYaml;
import ai.payable.core.identity.Address;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.train.Losses;
import ai.payable.training.train.TrainingLoop;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One training job, as a data researcher writes it in YAML (see {@code training/specs/}): what to
 * train (a teacher, a distilled student, or a LoRA adapter on a base), on which DataNets, with
 * which shape, optimiser, schedule and seed. Bound strictly to {@link Written} ({@link StrictYaml}),
 * then checked: unknown keys and bad values fail with the file and field named.
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

  /** A spec as written: every key the file may have, null where it leaves one out (its default applies). */
  record Written(String name, String kind, List<String> datanets, String filter, String base, String owner, Shape model, Init init, String tokenizer,
      Lora lora, Distill distill, Optimizer optimizer, Schedule schedule, Integer epochs, @JsonProperty("batch_size") Integer batchSize, Integer seed,
      String device, @JsonProperty("heldout_fraction") Double heldoutFraction, @JsonProperty("max_length") Integer maxLength, FeatureKeys features) {}

  /** {@code model:}, the shape of a model trained from scratch. */
  record Shape(@JsonProperty("hidden_size") Integer hiddenSize, Integer layers, Integer heads, @JsonProperty("intermediate_size") Integer intermediateSize,
      Integer context) {}

  /** {@code init:}, the teacher layers a derived student keeps. */
  record Init(@JsonProperty("keep_every") Integer keepEvery, @JsonProperty("keep_layers") List<Integer> keepLayers) {}

  /** {@code lora:}; {@code targets} may be one projection or a list. */
  record Lora(Integer rank, Double alpha, @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> targets, Double dropout,
      Boolean rslora) {}

  /** {@code distill:}. */
  record Distill(String teacher, @JsonProperty("teacher_adapter") String teacherAdapter, Double alpha, Double temperature, String divergence) {}

  /** {@code optimizer:}. */
  record Optimizer(String name, @JsonProperty("learning_rate") Double learningRate, @JsonProperty("weight_decay") Double weightDecay) {}

  /** {@code schedule:}. */
  record Schedule(@JsonProperty("warmup_steps") Integer warmupSteps) {}

  /** {@code features:}. */
  record FeatureKeys(@JsonProperty("projection_dim") Integer projectionDim, Integer seed, Integer layers) {}

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
      root = StrictYaml.tree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": a training spec is a YAML mapping (name:, kind:, datanets:, ...)");
    }
    Written w;
    try {
      w = StrictYaml.bind(root, Written.class);
    } catch (StrictYaml.BindingException e) {
      StrictYaml.Problem problem = e.problem();
      throw new IllegalArgumentException(problem.unknownKey()
          ? source + ": unknown key '" + problem.path() + "'; allowed: " + problem.known()
          : source + ": " + problem.path() + " = " + problem.written() + ": must be " + problem.expected(), e);
    }
    Checks r = new Checks(source);
    String name = r.required("name", w.name());
    if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw r.error("name", name, "use lower-case letters, digits and dashes (it names the model)");
    }
    Kind kind = r.enumValue("kind", r.required("kind", w.kind()), Kind.class);
    List<String> datanets = w.datanets() == null ? List.of() : List.copyOf(w.datanets());
    Optional<String> filter = Optional.ofNullable(w.filter());
    if (datanets.isEmpty() && filter.isEmpty()) {
      throw r.error("datanets", "[]", "name at least one DataNet, or give a filter (a SQL condition over records)");
    }
    if (!Optional.ofNullable(w.tokenizer()).orElse(ByteTokenizer.NAME).equals(ByteTokenizer.NAME)) {
      throw r.error("tokenizer", w.tokenizer(), "models trained from scratch use the byte-level tokenizer 'bytes'; "
          + "adapters and derived students use their base's tokenizer");
    }
    Optional<String> base = Optional.ofNullable(w.base());
    Optional<String> owner = Optional.ofNullable(w.owner()).map(o -> {
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
      if (w.model() != null) {
        throw r.error("model", "...", "an adapter takes its shape from its base; remove model:");
      }
      Lora l = Optional.ofNullable(w.lora()).orElse(new Lora(null, null, null, null, null));
      try {
        lora = new LoraSettings(or(l.rank(), 8), (float) number(l.alpha(), 16.0), l.targets() == null || l.targets().isEmpty() ? List.of("q_proj", "v_proj")
            : List.copyOf(l.targets()), (float) number(l.dropout(), 0.0), or(l.rslora(), false));
      } catch (IllegalArgumentException e) {
        throw prefixed(source, e);
      }
    } else if (w.init() != null) {
      if (kind != Kind.STUDENT || w.model() != null || w.lora() != null) {
        throw r.error("init", "...", "only a student is derived from its teacher's layers, and then it takes no model: (its shape is the teacher's) and no lora:");
      }
    } else {
      if (w.lora() != null) {
        throw r.error("lora", "...", "only kind: adapter takes lora:");
      }
      Shape m = Optional.ofNullable(w.model()).orElse(new Shape(null, null, null, null, null));
      try {
        model = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, or(m.hiddenSize(), 64), or(m.layers(), 2), or(m.heads(), 4), or(m.intermediateSize(), 172),
            or(m.context(), 128));
      } catch (IllegalArgumentException e) {
        throw prefixed(source, e);
      }
    }

    Distillation distill = null;
    if (w.distill() != null) {
      if (kind != Kind.STUDENT) {
        throw r.error("distill", "...", "only kind: student is distilled");
      }
      Distill d = w.distill();
      float alpha = (float) number(d.alpha(), 0.5);
      float temperature = (float) number(d.temperature(), 1.0);
      if (alpha < 0 || alpha > 1) {
        throw r.error("distill.alpha", String.valueOf(alpha), "must be within [0, 1] (the weight of the teacher's soft targets)");
      }
      if (!(temperature > 0)) {
        throw r.error("distill.temperature", String.valueOf(temperature), "must be positive");
      }
      distill = new Distillation(r.required("distill.teacher", d.teacher()), Optional.ofNullable(d.teacherAdapter()), alpha, temperature,
          Optional.ofNullable(d.divergence()).map(v -> r.enumValue("distill.divergence", v, Losses.Divergence.class)).orElse(Losses.Divergence.FORWARD_KL));
    }

    LayerChoice keep = LayerChoice.NONE;
    if (w.init() != null) {
      if (distill == null) {
        throw r.error("init", "...", "a derived student takes its layers from its teacher: give distill: {teacher: …}");
      }
      List<Integer> layers = w.init().keepLayers() == null ? List.of() : List.copyOf(w.init().keepLayers());
      int every = or(w.init().keepEvery(), 0);
      if ((every > 0) == !layers.isEmpty() || every < 0) {
        throw r.error("init", root.path("init").toString(), "give either keep_every: N (every N-th layer from the first) or keep_layers: [i, j, …]");
      }
      keep = new LayerChoice(every, layers);
    }
    int maxLength = or(w.maxLength(), model != null ? model.maxPositions() : 512);
    if (maxLength < 2) {
      throw r.error("max_length", String.valueOf(maxLength), "must be at least 2 tokens");
    }

    Optimizer opt = Optional.ofNullable(w.optimizer()).orElse(new Optimizer(null, null, null));
    if (!Optional.ofNullable(opt.name()).orElse("adam").equals("adam")) {
      throw r.error("optimizer.name", opt.name(), "only adam is supported");
    }
    Schedule schedule = Optional.ofNullable(w.schedule()).orElse(new Schedule(null));
    TrainingLoop.Settings training;
    try {
      training = new TrainingLoop.Settings(or(w.epochs(), 3), or(w.batchSize(), 16), (float) number(opt.learningRate(), 3e-3), or(schedule.warmupSteps(), 10),
          (float) number(opt.weightDecay(), 0.0), or(w.seed(), 7));
    } catch (IllegalArgumentException e) {
      throw prefixed(source, e);
    }
    String device = Optional.ofNullable(w.device()).orElse("cpu");
    if (!device.equals("cpu") && !device.equals("gpu")) {
      throw r.error("device", device, "must be cpu or gpu");
    }
    double heldout = or(w.heldoutFraction(), 0.1);
    if (heldout < 0 || heldout >= 0.5) {
      throw r.error("heldout_fraction", String.valueOf(heldout), "must be within [0, 0.5)");
    }
    FeatureKeys f = Optional.ofNullable(w.features()).orElse(new FeatureKeys(null, null, null));
    Features features = new Features(or(f.projectionDim(), 32), or(f.seed(), 11), or(f.layers(), 0));
    if (features.layers() < 0) {
      throw r.error("features.layers", String.valueOf(features.layers()), "must be ≥ 0 (0: every layer)");
    }
    if (features.projectionDim() <= 0 || features.projectionDim() > 4096) {
      throw r.error("features.projection_dim", String.valueOf(features.projectionDim()), "must be within 1..4096");
    }
    return new TrainingSpec(name, kind, datanets, filter, base, owner, model, lora, distill, keep, training, device, heldout, maxLength, features, yaml);
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static double number(Double value, double fallback) {
    return value != null ? value : fallback;
  }

  private static IllegalArgumentException prefixed(String source, IllegalArgumentException e) {
    return e.getMessage().startsWith(source + ": ") ? e : new IllegalArgumentException(source + ": " + e.getMessage(), e);
  }

  /** The checks after binding, with errors naming the file, field and value. */
  private record Checks(String source) {

    IllegalArgumentException error(String field, String value, String what) {
      return new IllegalArgumentException(source + ": " + field + " = " + value + ": " + what);
    }

    String required(String field, String value) {
      if (value == null || value.isBlank()) {
        throw error(field, value == null ? "(missing)" : "\"" + value + "\"", "required text");
      }
      return value;
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
