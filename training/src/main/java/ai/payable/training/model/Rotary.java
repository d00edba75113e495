package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in Hugging Face's Llama layout: frequencies θ^(−2i/d) for the first
 * half of each head, repeated for the second half, applied as {@code x·cos + rotate_half(x)·sin}
 * with {@code rotate_half([x1, x2]) = [−x2, x1]}.
 */
final class Rotary {

  private final int headSize;
  private final float theta;

  Rotary(int headSize, float theta) {
    this.headSize = headSize;
    this.theta = theta;
  }

  /** cos and sin tables [T, headSize] for positions 0..T−1, in {@code manager}. */
  NDList tables(NDManager manager, int length) {
    int half = headSize / 2;
    float[] cos = new float[length * headSize];
    float[] sin = new float[length * headSize];
    for (int t = 0; t < length; t++) {
      for (int i = 0; i < half; i++) {
        double angle = t * Math.pow(theta, -2.0 * i / headSize);
        cos[t * headSize + i] = cos[t * headSize + i + half] = (float) Math.cos(angle);
        sin[t * headSize + i] = sin[t * headSize + i + half] = (float) Math.sin(angle);
      }
    }
    return new NDList(manager.create(cos, new Shape(length, headSize)), manager.create(sin, new Shape(length, headSize)));
  }

  /** Rotates {@code x} [B, H, T, headSize] by the tables. */
  static NDArray apply(NDArray x, NDList tables) {
    NDList halves = x.split(2, 3);
    NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), 3);
    return x.mul(tables.get(0)).add(rotated.mul(tables.get(1)));
  }
}
