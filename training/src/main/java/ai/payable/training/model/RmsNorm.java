package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Root-mean-square normalisation over the last axis, {@code x / √(mean(x²) + ε) · g}, as in Llama. */
public final class RmsNorm extends AbstractBlock {

  private final Parameter gain;
  private final float eps;

  /** @param name the Hugging Face parameter name, e.g. {@code model.norm.weight} */
  public RmsNorm(String name, int width, float eps) {
    this.gain = addParameter(Parameter.builder().setName(name).setType(Parameter.Type.GAMMA).optShape(new Shape(width))
        .optInitializer(Initializers.ones()).build());
    this.eps = eps;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray inverseRms = Scalars.pow(Scalars.add(x.square().mean(new int[] {-1}, true), eps), -0.5f);
    return new NDList(x.mul(inverseRms).mul(store.getValue(gain, x.getDevice(), training)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
