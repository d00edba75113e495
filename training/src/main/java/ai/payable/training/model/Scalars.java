package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Operands made from Java values (scalars, and arrays drawn in Java) that stay valid for as long
 * as autograd needs them.
 *
 * <p>DJL's PyTorch {@code mul(Number)}, {@code add(Number)}, {@code pow(Number)} wrap the number in
 * a tensor over a Java direct buffer and close it right after the call. Autograd keeps that tensor
 * for the backward pass (the gradient of {@code x·s} needs {@code s}), so backward would read freed
 * memory: gradients turn into garbage or NaN at random, whenever the GC runs. Operands made here
 * are filled by libtorch ({@code torch::full}) into memory it owns and reference-counts, so they
 * outlive the Java array (which the model frees layer by layer) for as long as the graph holds them.
 */
public final class Scalars {

  private Scalars() {}

  /** A float32 scalar in {@code like}'s manager and on its device. */
  public static NDArray of(NDArray like, float value) {
    return like.getManager().full(new ai.djl.ndarray.types.Shape(), value, ai.djl.ndarray.types.DataType.FLOAT32, like.getDevice());
  }

  /** {@code x · value}, safe under autograd. */
  public static NDArray mul(NDArray x, float value) {
    return x.mul(of(x, value));
  }

  /** {@code x + value}, safe under autograd. */
  public static NDArray add(NDArray x, float value) {
    return x.add(of(x, value));
  }

  /** {@code x ^ value}, safe under autograd. */
  public static NDArray pow(NDArray x, float value) {
    return x.pow(of(x, value));
  }

  /**
   * {@code values} as an array of {@code shape} and {@code type} in {@code manager}, in memory
   * libtorch owns: {@code create} alone would leave the tensor over a Java direct buffer.
   */
  public static NDArray owned(NDManager manager, float[] values, Shape shape, DataType type) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray shared = scope.create(values, shape);
      NDArray owned = type == DataType.FLOAT32 ? shared.duplicate() : shared.toType(type, false);
      owned.attach(manager);
      return owned;
    }
  }
}
