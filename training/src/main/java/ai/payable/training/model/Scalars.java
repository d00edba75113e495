package ai.payable.training.model;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands that live as long as the arrays they scale.
 *
 * <p>DJL's PyTorch {@code mul(Number)}, {@code add(Number)}, {@code pow(Number)} wrap the number in
 * a tensor over a Java direct buffer and close it right after the call. Autograd keeps that tensor
 * for the backward pass (the gradient of {@code x·s} needs {@code s}), so backward would read freed
 * memory: gradients turn into garbage or NaN at random, whenever the GC runs. Operands made here
 * belong to the operand's manager and stay alive until that scope (a training step) closes.
 */
public final class Scalars {

  private Scalars() {}

  /** A float32 scalar in {@code like}'s manager. */
  public static NDArray of(NDArray like, float value) {
    return like.getManager().create(value);
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
}
