package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Root-mean-square normalisation over the last axis, {@code g · x / √(mean(x²) + ε)}, computed in
 * float32 as transformers' {@code LlamaRMSNorm} does (then cast back for half-precision models).
 */
final class RmsNorm {

  private final Parameter gain;
  private final float eps;

  /** @param name the Hugging Face parameter name, e.g. {@code model.norm.weight} */
  RmsNorm(String name, int width, float eps) {
    this.gain = Parameter.builder().setName(name).setType(Parameter.Type.GAMMA).optShape(new Shape(width)).optInitializer(Initializers.ones()).build();
    this.eps = eps;
  }

  Parameter gain() {
    return gain;
  }

  NDArray forward(ParameterStore store, NDArray x, boolean training) {
    DataType type = x.getDataType();
    NDArray wide = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    NDArray rms = Scalars.add(wide.square().mean(new int[] {-1}, true), eps).sqrt();
    NDArray normed = wide.div(rms);
    // The activation comes first: an op's result lives in its first operand's memory scope, and the
    // gain's scope is the model's, which a training step does not free.
    NDArray cast = type == DataType.FLOAT32 ? normed : normed.toType(type, false);
    NDArray g = store.getValue(gain, x.getDevice(), training);
    return training ? cast.mul(g) : cast.muli(g);
  }
}
