package ai.payable.training.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.model.Scalars;
import ai.payable.training.train.TokenBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Per-example gradients of the loss with respect to an adapter's LoRA parameters, randomly
 * projected per LoRA module (LoGra/TRAK style): module m's gradient g_m (A's then B's entries,
 * row-major) becomes {@code P_m·g_m} with P_m a {@code dim × |g_m|} Rademacher matrix scaled by
 * 1/√dim, so dot products are preserved in expectation (Johnson–Lindenstrauss). The matrices come
 * from {@code seed} alone, so a training record's features and an answer's query gradient (the same
 * computation with the prompt masked out) live in the same space.
 *
 * <p>Examples are taken a batch at a time, in one forward and one backward (the per-sample trick of
 * LoGra, Choe et al. 2024): for the pass, each LoRA module's A and B are copied once per batch row
 * into leaves {@code down [B, in, r] = Aᵀ} and {@code up [B, r, out] = s·Bᵀ} that the projection
 * applies row by row (as batched serving does), and the shared adapter is switched off. Row b's
 * output depends only on row b's copies, and the batch loss is the sum of each example's own mean
 * token loss, so the gradient of row b's copies is exactly example b's gradient of A and B. Only
 * LoRA's few parameters are duplicated (r·(in+out) per module and row), never the base weights.
 *
 * <p>Features may come from a subset of the adapted modules (e.g. the top decoder layers, see
 * {@link LlamaModel#adaptedModulesOfTopLayers}): the other modules keep their shared adapter
 * and collect no gradient, so the backward pass stops below the lowest chosen module. A module's
 * projection depends on its place among all adapted modules, so the features of a module are the
 * same whichever subset it is taken in.
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

  /** Examples per backward pass when none is given. */
  public static final int DEFAULT_BATCH = 8;

  /**
   * Most padded tokens per backward pass: a pass holds a few copies of the logits, tokens × vocabulary
   * floats (4,096 × 49,152 × 4 bytes ≈ 0.8 GB for SmolLM2), so long sequences go in smaller batches.
   */
  public static final int TOKENS_PER_PASS = 4096;

  private final LlamaModel model;
  private final int dim;
  private final long seed;
  private final int batchSize;
  private final List<LoraLinear> adapted;
  private final List<LoraLinear> modules;
  private final float[] scales;
  private final NDManager manager;
  private final List<NDArray> projections = new ArrayList<>();

  /** {@link #GradientFeatures(LlamaModel, int, long, int)} with {@link #DEFAULT_BATCH}. */
  public GradientFeatures(LlamaModel model, int dim, long seed) {
    this(model, dim, seed, DEFAULT_BATCH);
  }

  /** Features of every adapted module: {@link #GradientFeatures(LlamaModel, int, long, int, List)}. */
  public GradientFeatures(LlamaModel model, int dim, long seed, int batchSize) {
    this(model, dim, seed, batchSize, model.adaptedProjections().stream().map(LoraLinear::module).toList());
  }

  /**
   * Prepares the projections for {@code model}'s adapted modules; freezes every parameter (the
   * per-row copies carry the gradients) and turns the adapter's dropout off until {@link #close()},
   * so an example's features are the same on every run.
   *
   * @param batchSize examples per backward pass
   * @param moduleNames the adapted modules (Hugging Face paths) whose gradients make the features,
   *     in the model's order
   */
  public GradientFeatures(LlamaModel model, int dim, long seed, int batchSize, List<String> moduleNames) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
    }
    this.model = model;
    this.dim = dim;
    this.seed = seed;
    this.batchSize = batchSize;
    this.adapted = model.adaptedProjections();
    if (adapted.isEmpty()) {
      throw new IllegalArgumentException("the model has no LoRA modules to take gradients of");
    }
    List<String> adaptedNames = adapted.stream().map(LoraLinear::module).toList();
    List<Integer> places = new ArrayList<>();
    for (String name : moduleNames) {
      int place = adaptedNames.indexOf(name);
      if (place < 0) {
        throw new IllegalArgumentException("module " + name + " carries no adapter in this model (adapted: " + adaptedNames.get(0) + " … "
            + adaptedNames.get(adaptedNames.size() - 1) + ")");
      }
      if (!places.isEmpty() && place <= places.get(places.size() - 1)) {
        throw new IllegalArgumentException("modules must be named once each, in the model's order; " + name + " is out of place");
      }
      places.add(place);
    }
    if (places.isEmpty()) {
      throw new IllegalArgumentException("no modules named to take gradients of");
    }
    this.modules = places.stream().map(adapted::get).toList();
    this.scales = new float[modules.size()];
    // Every adapted module, chosen or not, takes part in the forward pass.
    adapted.forEach(m -> m.setDropout(false));
    this.manager = modules.get(0).loraA().getArray().getManager().newSubManager();
    model.getParameters().values().forEach(p -> p.freeze(true));
    for (int i = 0; i < modules.size(); i++) {
      LoraLinear m = modules.get(i);
      scales[i] = m.scale();
      int n = (int) (m.loraA().getArray().size() + m.loraB().getArray().size());
      float[] p = new float[n * dim];
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + places.get(i));
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
    return of(List.of(sequence)).get(0);
  }

  /**
   * The features of each sequence, in the given order, one backward pass per batch (at most the
   * batch size, and at most {@link #TOKENS_PER_PASS} padded tokens unless one sequence is longer).
   * Sequences of similar length share a batch, so little of a pass is padding.
   */
  public List<Feature> of(List<TokenSequence> sequences) {
    Integer[] order = IntStream.range(0, sequences.size()).boxed().sorted(Comparator.comparingInt((Integer i) -> sequences.get(i).tokens().length)
        .thenComparingInt(i -> i)).toArray(Integer[]::new);
    Feature[] out = new Feature[sequences.size()];
    for (int from = 0, to; from < order.length; from = to) {
      to = from + 1;
      // Sorted by length, so the last row of a batch is its longest.
      while (to < order.length && to - from < batchSize && (long) (to - from + 1) * sequences.get(order[to]).tokens().length <= TOKENS_PER_PASS) {
        to++;
      }
      List<Integer> rows = List.of(order).subList(from, to);
      List<Feature> batch = batch(rows.stream().map(sequences::get).toList());
      for (int b = 0; b < rows.size(); b++) {
        out[rows.get(b)] = batch.get(b);
      }
    }
    return List.of(out);
  }

  /** One forward and one backward over {@code sequences}, read out per row. */
  private List<Feature> batch(List<TokenSequence> sequences) {
    int rows = sequences.size();
    try (NDManager scope = manager.newSubManager()) {
      TokenBatch batch = TokenBatch.of(scope, sequences, 0);
      List<NDArray> downs = new ArrayList<>();
      List<NDArray> ups = new ArrayList<>();
      for (int i = 0; i < modules.size(); i++) {
        LoraLinear m = modules.get(i);
        NDArray down = leaf(transposed(m.loraA().getArray(), scope), rows);
        NDArray up = leaf(Scalars.mul(transposed(m.loraB().getArray(), scope), scales[i]), rows);
        downs.add(down);
        ups.add(up);
        m.setScale(0f);
        m.setRowAdapters(down, up);
      }
      float[] losses;
      try {
        try (GradientCollector collector = Engines.gradientCollector()) {
          NDArray logits = model.forward(new ParameterStore(scope, false), new NDList(batch.inputs()), true).singletonOrThrow();
          NDArray perExample = meanLossPerRow(logits, batch);
          collector.backward(perExample.sum());
          losses = perExample.toFloatArray();
        }
      } finally {
        for (int i = 0; i < modules.size(); i++) {
          modules.get(i).setRowAdapters(null, null);
          modules.get(i).setScale(scales[i]);
        }
      }
      float[][] projected = new float[modules.size()][];
      for (int i = 0; i < modules.size(); i++) {
        // ∂L/∂A = (∂L/∂down)ᵀ and ∂L/∂B = s·(∂L/∂up)ᵀ, flattened row-major as one-at-a-time gradients are.
        NDArray gradA = downs.get(i).getGradient().transpose(0, 2, 1).reshape(rows, -1);
        NDArray gradB = Scalars.mul(ups.get(i).getGradient().transpose(0, 2, 1), scales[i]).reshape(rows, -1);
        projected[i] = NDArrays.concat(new NDList(gradA, gradB), 1).matMul(projections.get(i)).toFloatArray();
      }
      List<Feature> out = new ArrayList<>(rows);
      for (int b = 0; b < rows; b++) {
        float[] features = new float[modules.size() * dim];
        double[] norms = new double[modules.size()];
        for (int i = 0; i < modules.size(); i++) {
          System.arraycopy(projected[i], b * dim, features, i * dim, dim);
          double sq = 0;
          for (int j = 0; j < dim; j++) {
            float v = projected[i][b * dim + j];
            sq += (double) v * v;
          }
          norms[i] = sq;
        }
        out.add(new Feature(features, norms, losses[b]));
      }
      return out;
    }
  }

  /** {@code w}ᵀ, owned by {@code scope} (so are the arrays computed from it), not by the model. */
  private static NDArray transposed(NDArray w, NDManager scope) {
    NDArray t = w.transpose();
    t.attach(scope);
    return t;
  }

  /** {@code w} [x, y] copied into a fresh [rows, x, y] array that collects its own gradient. */
  private static NDArray leaf(NDArray w, int rows) {
    NDArray copy = w.expandDims(0).repeat(0, rows);
    copy.setRequiresGradient(true);
    return copy;
  }

  /** Each row's mean loss over its own targets [B]: summed, their gradient is the sum of per-example gradients. */
  private static NDArray meanLossPerRow(NDArray logits, TokenBatch batch) {
    NDArray picked = logits.logSoftmax(-1).gather(batch.targets().expandDims(-1), -1).squeeze(-1);
    return picked.mul(batch.mask()).sum(new int[] {1}).neg().div(batch.mask().sum(new int[] {1}));
  }

  /** Module {@code module}'s projection of a flat (A then B, row-major) gradient: what {@link #of} computes per example. */
  float[] project(int module, float[] gradient) {
    try (NDManager scope = manager.newSubManager()) {
      return scope.create(gradient, new Shape(1, gradient.length)).matMul(projections.get(module)).toFloatArray();
    }
  }

  /** Frees the projections and turns the adapter's dropout back on. */
  @Override
  public void close() {
    adapted.forEach(m -> m.setDropout(true));
    manager.close();
  }
}
