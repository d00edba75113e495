package ai.payable.training.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.train.Losses;
import ai.payable.training.train.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Per-example gradients of the loss with respect to an adapter's LoRA parameters, randomly
 * projected per LoRA module (LoGra/TRAK style): module m's gradient g_m (A's then B's entries,
 * row-major) becomes {@code P_m·g_m} with P_m a {@code dim × |g_m|} Rademacher matrix scaled by
 * 1/√dim, so dot products are preserved in expectation (Johnson–Lindenstrauss). The matrices come
 * from {@code seed} alone, so a training record's features and an answer's query gradient (the same
 * computation with the prompt masked out) live in the same space.
 *
 * <p>DJL allows one gradient collector per JVM at a time: examples are processed one after another.
 */
public final class GradientFeatures implements AutoCloseable {

  /**
   * One example's features.
   *
   * @param features {@code modules × dim} floats, module after module
   * @param moduleSqNorms the squared norm of each module's projected gradient
   * @param loss the example's mean token loss
   */
  public record Feature(float[] features, double[] moduleSqNorms, double loss) {}

  private final LlamaModel model;
  private final int dim;
  private final long seed;
  private final List<LoraLinear> modules;
  private final NDManager manager;
  private final List<NDArray> projections = new ArrayList<>();

  /**
   * Prepares the projections for {@code model}'s adapted modules; freezes everything but LoRA and
   * turns the adapter's dropout off until {@link #close()}, so an example's features are the same on
   * every run.
   */
  public GradientFeatures(LlamaModel model, int dim, long seed) {
    this.model = model;
    this.dim = dim;
    this.seed = seed;
    this.modules = model.adaptedProjections();
    if (modules.isEmpty()) {
      throw new IllegalArgumentException("the model has no LoRA modules to take gradients of");
    }
    modules.forEach(m -> m.setDropout(false));
    this.manager = modules.get(0).loraA().getArray().getManager().newSubManager();
    List<String> trainable = new ArrayList<>();
    for (LoraLinear m : modules) {
      trainable.add(m.loraA().getId());
      trainable.add(m.loraB().getId());
    }
    model.getParameters().values().forEach(p -> p.freeze(!trainable.contains(p.getId())));
    for (int i = 0; i < modules.size(); i++) {
      LoraLinear m = modules.get(i);
      int n = (int) (m.loraA().getArray().size() + m.loraB().getArray().size());
      float[] p = new float[n * dim];
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
      float s = (float) (1 / Math.sqrt(dim));
      for (int j = 0; j < p.length; j++) {
        p[j] = random.nextBoolean() ? s : -s;
      }
      // Stored transposed, [n, dim], so g·Pᵀ is one row-vector product.
      projections.add(manager.create(p, new Shape(n, dim)));
    }
  }

  /** The adapted modules' Hugging Face paths, in feature order. */
  public List<String> moduleNames() {
    return modules.stream().map(LoraLinear::module).toList();
  }

  /** The projection dimension per module. */
  public int dim() {
    return dim;
  }

  /** The seed the projections come from. */
  public long seed() {
    return seed;
  }

  /** The features of one sequence: the gradient of its targets' mean loss (a training record's answer, an answer given its prompt). */
  public Feature of(TokenSequence sequence) {
    try (NDManager scope = manager.newSubManager()) {
      TokenBatch batch = TokenBatch.of(scope, List.of(sequence), 0);
      double loss;
      try (GradientCollector collector = Engines.gradientCollector()) {
        NDArray logits = model.forward(new ParameterStore(scope, false), new NDList(batch.inputs()), true).singletonOrThrow();
        NDArray l = Losses.crossEntropy(logits, batch);
        collector.backward(l);
        loss = l.getFloat();
      }
      float[] out = new float[modules.size() * dim];
      double[] norms = new double[modules.size()];
      for (int i = 0; i < modules.size(); i++) {
        float[] a = gradient(modules.get(i).loraA());
        float[] b = gradient(modules.get(i).loraB());
        float[] g = new float[a.length + b.length];
        System.arraycopy(a, 0, g, 0, a.length);
        System.arraycopy(b, 0, g, a.length, b.length);
        float[] f = scope.create(g, new Shape(1, g.length)).matMul(projections.get(i)).toFloatArray();
        System.arraycopy(f, 0, out, i * dim, dim);
        double sq = 0;
        for (float v : f) {
          sq += (double) v * v;
        }
        norms[i] = sq;
      }
      return new Feature(out, norms, loss);
    }
  }

  /** Reads and clears a parameter's accumulated gradient. */
  private static float[] gradient(Parameter p) {
    try (NDArray g = p.getArray().getGradient()) {
      float[] values = g.toFloatArray();
      g.subi(g);
      return values;
    }
  }

  /** Frees the projections and turns the adapter's dropout back on. */
  @Override
  public void close() {
    modules.forEach(m -> m.setDropout(true));
    manager.close();
  }
}
