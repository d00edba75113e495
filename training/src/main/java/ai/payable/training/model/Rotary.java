package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Rotary position embeddings in Hugging Face's Llama layout: each head's first and second halves
 * form the rotated pairs, {@code x·cos + rotate_half(x)·sin} with {@code rotate_half([x1, x2]) =
 * [−x2, x1]}. The cos/sin tables hold every position of the context; as in transformers, the
 * angle of position p is the float32 product {@code p · inv_freq}.
 */
final class Rotary {

  private final NDArray cos;
  /** sin with the first half negated: {@code rotate_half(x)·sin = swap_halves(x)·signedSin}, one op fewer. */
  private final NDArray signedSin;

  /** Tables [maxPositions, headDim] for {@code rope}, of {@code type}, in {@code manager} (on its device). */
  Rotary(NDManager manager, DataType type, Rope rope, int headDim, int maxPositions) {
    float[] inv = rope.inverseFrequencies(headDim);
    int half = headDim / 2;
    float[] c = new float[maxPositions * headDim];
    float[] signed = new float[maxPositions * headDim];
    for (int p = 0; p < maxPositions; p++) {
      for (int i = 0; i < half; i++) {
        float angle = p * inv[i];
        c[p * headDim + i] = c[p * headDim + i + half] = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        signed[p * headDim + i] = -sin;
        signed[p * headDim + i + half] = sin;
      }
    }
    // Computed in float32 and cast, as transformers does for half-precision models.
    this.cos = manager.create(c, new Shape(maxPositions, headDim)).toType(type, false);
    this.signedSin = manager.create(signed, new Shape(maxPositions, headDim)).toType(type, false);
  }

  /** The rotation of tokens at {@code positions} [B, T] (int64): cos and signed sin [B, 1, T, headDim], broadcast over heads. */
  Rotation at(NDArray positions) {
    NDArray c = positions.getNDArrayInternal().embedding(positions, cos, SparseFormat.DENSE).singletonOrThrow();
    NDArray s = positions.getNDArrayInternal().embedding(positions, signedSin, SparseFormat.DENSE).singletonOrThrow();
    return new Rotation(c.expandDims(1), s.expandDims(1));
  }

  /** cos and the signed sin for one forward pass. */
  record Rotation(NDArray cos, NDArray signedSin) {
    /** Rotates {@code x} [B, H, T, headDim]; without autograd the products reuse their buffers. */
    NDArray apply(NDArray x, boolean training) {
      NDList halves = x.split(2, 3);
      NDArray swapped = NDArrays.concat(new NDList(halves.get(1), halves.get(0)), 3);
      // (−x2)·s equals x2·(−s) exactly, so this is transformers' x·cos + rotate_half(x)·sin.
      return training ? x.mul(cos).add(swapped.mul(signedSin)) : x.mul(cos).addi(swapped.muli(signedSin));
    }
  }
}
