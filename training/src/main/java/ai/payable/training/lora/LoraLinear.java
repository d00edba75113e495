package ai.payable.training.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.payable.training.model.Initializers;
import ai.payable.training.model.Scalars;

/**
 * A bias-free linear projection {@code y = x·Wᵀ}, optionally with a LoRA update:
 * {@code y = x·Wᵀ + (α/r)·(x·Aᵀ)·Bᵀ}, where W [out, in] is the frozen base weight, A [r, in] starts
 * small and random and B [out, r] starts at zero, so a fresh adapter changes nothing. Parameters
 * carry their Hugging Face names ({@code model.layers.0.self_attn.q_proj.weight}, and
 * {@code ….lora_A.weight}/{@code ….lora_B.weight} for the adapter).
 */
public final class LoraLinear extends AbstractBlock {

  private final String module;
  private final int in;
  private final int out;
  private final Parameter weight;
  private final Parameter loraA;
  private final Parameter loraB;
  private float scale;

  /**
   * @param module the Hugging Face module path, e.g. {@code model.layers.0.self_attn.q_proj}
   * @param lora the adapter settings, or null for a plain projection
   */
  public LoraLinear(String module, int in, int out, LoraSettings lora) {
    this.module = module;
    this.in = in;
    this.out = out;
    this.weight = addParameter(Parameter.builder().setName(module + ".weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(out, in)).optInitializer(Initializers.normal(0.02f)).build());
    if (lora == null) {
      this.loraA = null;
      this.loraB = null;
      this.scale = 0f;
    } else {
      // PEFT's default: A ~ U(-1/√in, 1/√in) (Kaiming-uniform with a = √5), B = 0.
      this.loraA = addParameter(Parameter.builder().setName(module + ".lora_A.weight").setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(lora.rank(), in)).optInitializer(Initializers.uniform((float) (1 / Math.sqrt(in)))).build());
      this.loraB = addParameter(Parameter.builder().setName(module + ".lora_B.weight").setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(out, lora.rank())).optInitializer(Initializers.zeros()).build());
      this.scale = lora.scale();
    }
  }

  /** The Hugging Face module path. */
  public String module() {
    return module;
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

  /** α/r. */
  public float scale() {
    return scale;
  }

  /**
   * Changes the update's scale: serving swaps adapters of different α/r into the same slots, and
   * 0 switches the adapter off.
   */
  public void setScale(float scale) {
    if (loraA == null) {
      throw new IllegalStateException(module + " has no adapter");
    }
    this.scale = scale;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray w = store.getValue(weight, x.getDevice(), training);
    NDArray y = x.getNDArrayInternal().linear(x, w, null).singletonOrThrow();
    if (loraA != null) {
      NDArray a = store.getValue(loraA, x.getDevice(), training);
      NDArray b = store.getValue(loraB, x.getDevice(), training);
      NDArray down = x.getNDArrayInternal().linear(x, a, null).singletonOrThrow();
      NDArray up = down.getNDArrayInternal().linear(down, b, null).singletonOrThrow();
      y = y.add(Scalars.mul(up, scale));
    }
    return new NDList(y);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
  }

  @Override
  public String toString() {
    return "LoraLinear(" + module + ", " + in + "→" + out + (adapted() ? ", lora" : "") + ")";
  }
}
