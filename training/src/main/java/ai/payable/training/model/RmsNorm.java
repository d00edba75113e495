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
    NDArray inverseRms = Scalars.pow(Scalars.add(wide.pow(Scalars.of(wide, 2f)).mean(new int[] {-1}, true), eps), -0.5f);
    NDArray normed = wide.mul(inverseRms);
    // The activation comes first: an op's result lives in its first operand's memory scope, and the
    // gain's scope is the model's, which a training step does not free.
    return (type == DataType.FLOAT32 ? normed : normed.toType(type, false)).mul(store.getValue(gain, x.getDevice(), training));
  }
}
