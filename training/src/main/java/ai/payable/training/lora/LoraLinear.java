package ai.payable.training.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.payable.training.engine.Engines;
import ai.payable.training.model.Initializers;
import ai.payable.training.model.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A linear projection {@code y = x·Wᵀ + b}, optionally with a LoRA update as PEFT computes it:
 * {@code y += s·(dropout(x)·Aᵀ)·Bᵀ}, where W [out, in] (and the optional bias b) is the frozen base,
 * A [r, in] starts small and random, B [out, r] starts at zero (so a fresh adapter changes
 * nothing), and s is α/r (α/√r with rsLoRA). Parameters carry their Hugging Face names
 * ({@code model.layers.0.self_attn.q_proj.weight}, {@code ….bias}, and
 * {@code ….lora_A.weight}/{@code ….lora_B.weight} for the adapter); the model that owns the
 * projection registers them.
 */
public final class LoraLinear {

  private final String module;
  private final int out;
  private final Parameter weight;
  private final Parameter bias;
  private final Parameter loraA;
  private final Parameter loraB;
  private final float dropout;
  private boolean dropoutOn = true;
  private float scale;
  private NDArray rowDown;
  private NDArray rowUp;

  /**
   * @param module the Hugging Face module path, e.g. {@code model.layers.0.self_attn.q_proj}
   * @param hasBias whether the base projection has a bias
   * @param lora the adapter settings, or null for a plain projection
   */
  public LoraLinear(String module, int in, int out, boolean hasBias, LoraSettings lora) {
    this.module = module;
    this.out = out;
    this.weight = Parameter.builder().setName(module + ".weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(out, in)).optInitializer(Initializers.normal(0.02f)).build();
    this.bias = hasBias ? Parameter.builder().setName(module + ".bias").setType(Parameter.Type.BIAS)
        .optShape(new Shape(out)).optInitializer(Initializers.zeros()).build() : null;
    if (lora == null) {
      this.loraA = null;
      this.loraB = null;
      this.dropout = 0f;
      this.scale = 0f;
    } else {
      // PEFT's default: A ~ U(-1/√in, 1/√in) (Kaiming-uniform with a = √5), B = 0.
      this.loraA = Parameter.builder().setName(module + ".lora_A.weight").setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(lora.rank(), in)).optInitializer(Initializers.uniform((float) (1 / Math.sqrt(in)))).build();
      this.loraB = Parameter.builder().setName(module + ".lora_B.weight").setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(out, lora.rank())).optInitializer(Initializers.zeros()).build();
      this.dropout = lora.dropout();
      this.scale = lora.scale();
    }
  }

  /**
   * Turns the adapter's dropout on or off for forward passes in training mode. Dropout belongs to
   * fitting the adapter only: gradients taken to attribute answers (gradient features, query
   * gradients) must be the same on every run, or payouts would follow the dropout mask.
   */
  public void setDropout(boolean on) {
    this.dropoutOn = on;
  }

  /** The Hugging Face module path. */
  public String module() {
    return module;
  }

  /** The projection's short name, e.g. {@code q_proj}. */
  public String projection() {
    return module.substring(module.lastIndexOf('.') + 1);
  }

  /** Output width. */
  public int outputs() {
    return out;
  }

  /** Every parameter: weight, bias if any, then A and B if adapted. */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    all.add(weight);
    if (bias != null) {
      all.add(bias);
    }
    if (loraA != null) {
      all.add(loraA);
      all.add(loraB);
    }
    return all;
  }

  /** Whether this projection carries an adapter. */
  public boolean adapted() {
    return loraA != null;
  }

  /** The frozen base weight W [out, in]. */
  public Parameter weight() {
    return weight;
  }

  /** The adapter's A [r, in]; only when {@link #adapted()}. */
  public Parameter loraA() {
    return loraA;
  }

  /** The adapter's B [out, r]; only when {@link #adapted()}. */
  public Parameter loraB() {
    return loraB;
  }

  /** The update's scale. */
  public float scale() {
    return scale;
  }

  /**
   * Changes the update's scale: serving swaps adapters of different scales into the same slots,
   * and 0 switches the adapter off (its products are then skipped).
   */
  public void setScale(float scale) {
    if (loraA == null) {
      throw new IllegalStateException(module + " has no adapter");
    }
    this.scale = scale;
  }

  /**
   * Gives each row of the next batches its own adapter (batched LoRA serving, as S-LoRA and
   * Punica do): row b adds {@code (x_b·down_b)·up_b}, with {@code down} [B, in, r] and {@code up}
   * [B, r, out] already scaled by that adapter's α/r, and zero for a row without one. Null for
   * both switches it off. The caller owns the arrays and keeps them alive while they are set.
   */
  public void setRowAdapters(NDArray down, NDArray up) {
    if ((down == null) != (up == null)) {
      throw new IllegalArgumentException(module + ": row adapters need both halves or neither");
    }
    this.rowDown = down;
    this.rowUp = up;
  }

  /** {@code x} [..., in] projected to [..., out]; [B, T, in] when row adapters are set. */
  public NDArray forward(ParameterStore store, NDArray x, boolean training) {
    NDArray w = store.getValue(weight, x.getDevice(), training);
    NDArray b = bias == null ? null : store.getValue(bias, x.getDevice(), training);
    NDArray y = x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
    if (rowDown != null) {
      if (x.getShape().get(0) != rowDown.getShape().get(0)) {
        throw new IllegalStateException(module + ": a batch of " + x.getShape().get(0) + " rows, but row adapters for " + rowDown.getShape().get(0));
      }
      y = training ? y.add(x.matMul(rowDown).matMul(rowUp)) : y.addi(x.matMul(rowDown).matMul(rowUp));
    }
    if (loraA != null && scale != 0f) {
      NDArray a = store.getValue(loraA, x.getDevice(), training);
      NDArray up = store.getValue(loraB, x.getDevice(), training);
      NDArray input = training && dropoutOn && dropout > 0 ? x.mul(dropoutMask(x)) : x;
      NDArray low = input.getNDArrayInternal().linear(input, a, null).singletonOrThrow();
      y = y.add(Scalars.mul(low.getNDArrayInternal().linear(low, up, null).singletonOrThrow(), scale));
    }
    return y;
  }

  /**
   * Inverted dropout's mask for {@code x} (0, or 1/(1−p) to keep the expectation), drawn from this
   * thread's seeded generator rather than the engine's JVM-wide one, so that models trained at once
   * in one JVM do not take each other's masks and a seeded run stays reproducible.
   */
  private NDArray dropoutMask(NDArray x) {
    SplittableRandom random = Engines.random();
    float kept = 1 / (1 - dropout);
    float[] mask = new float[Math.toIntExact(x.size())];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = random.nextFloat() < dropout ? 0f : kept;
    }
    return Scalars.owned(x.getManager(), mask, x.getShape(), x.getDataType());
  }

  @Override
  public String toString() {
    return "LoraLinear(" + module + (bias != null ? ", bias" : "") + (adapted() ? ", lora" : "") + ")";
  }
}
