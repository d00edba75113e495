package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks: 0 where a query may attend to a key, the most negative float where it
 * may not (transformers' {@code finfo.min}, which keeps softmax finite even for a fully masked
 * row).
 */
public final class Masks {

  /** What "may not attend" adds to a score. */
  public static final float BLOCKED = -Float.MAX_VALUE;

  private Masks() {}

  /** Causal mask [1, 1, T, P + T] for {@code length} new tokens after {@code past} cached ones. */
  public static NDArray causal(NDManager manager, int past, int length, DataType type) {
    float[] m = new float[length * (past + length)];
    for (int i = 0; i < length; i++) {
      for (int j = past + i + 1; j < past + length; j++) {
        m[i * (past + length) + j] = BLOCKED;
      }
    }
    return manager.create(m, new Shape(1, 1, length, past + length)).toType(type, false);
  }

  /**
   * Causal mask [B, 1, T, P + T] that also hides keys that are padding: {@code valid[b][j]} says
   * whether key position j of row b holds a real token.
   */
  public static NDArray padded(NDManager manager, boolean[][] valid, int past, int length, DataType type) {
    int keys = past + length;
    float[] m = new float[valid.length * length * keys];
    for (int b = 0; b < valid.length; b++) {
      for (int i = 0; i < length; i++) {
        for (int j = 0; j < keys; j++) {
          boolean allowed = j <= past + i && valid[b][j];
          m[(b * length + i) * keys + j] = allowed ? 0f : BLOCKED;
        }
      }
    }
    return manager.create(m, new Shape(valid.length, 1, length, keys)).toType(type, false);
  }
}
