package ai.payable.training.model;

import ai.djl.training.initializer.Initializer;

/** The weight initialisations of a Llama model and its adapters, drawn from the engine's seeded generator. */
public final class Initializers {

  private Initializers() {}

  /** N(0, σ²): Hugging Face's {@code initializer_range} for Llama weights is 0.02. */
  public static Initializer normal(float sigma) {
    return (manager, shape, type) -> manager.randomNormal(0f, sigma, shape, type);
  }

  /** U(−b, b). */
  public static Initializer uniform(float bound) {
    return (manager, shape, type) -> manager.randomUniform(-bound, bound, shape, type);
  }

  /** All zeros. */
  public static Initializer zeros() {
    return (manager, shape, type) -> manager.zeros(shape, type);
  }

  /** All ones. */
  public static Initializer ones() {
    return (manager, shape, type) -> manager.ones(shape, type);
  }
}
