package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import ai.payable.training.engine.Engines;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The weight initialisations of a Llama model and its adapters. Random ones draw from this thread's
 * seeded generator ({@link Engines#random()}), not the engine's JVM-wide one, so a model's initial
 * weights depend on its seed alone.
 */
public final class Initializers {

  private Initializers() {}

  /** N(0, σ²): Hugging Face's {@code initializer_range} for Llama weights is 0.02. */
  public static Initializer normal(float sigma) {
    return (manager, shape, type) -> drawn(manager, shape, type, r -> r.nextGaussian() * sigma);
  }

  /** U(−b, b). */
  public static Initializer uniform(float bound) {
    return (manager, shape, type) -> drawn(manager, shape, type, r -> r.nextDouble(-bound, bound));
  }

  /** All zeros. */
  public static Initializer zeros() {
    return (manager, shape, type) -> manager.zeros(shape, type);
  }

  /** All ones. */
  public static Initializer ones() {
    return (manager, shape, type) -> manager.ones(shape, type);
  }

  private static NDArray drawn(NDManager manager, Shape shape, DataType type, ToDoubleFunction<SplittableRandom> draw) {
    SplittableRandom random = Engines.random();
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) draw.applyAsDouble(random);
    }
    return Scalars.owned(manager, values, shape, type);
  }
}
