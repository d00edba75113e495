package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import java.util.List;

/** Llama's MLP: {@code down(silu(gate(x)) · up(x))}. */
public final class SwiGlu extends AbstractBlock {

  private final LoraLinear gate;
  private final LoraLinear up;
  private final LoraLinear down;
  private final int width;

  /** @param prefix e.g. {@code model.layers.0.mlp} */
  public SwiGlu(String prefix, LlamaConfig config, LoraSettings lora) {
    this.width = config.hiddenSize();
    this.gate = addChildBlock("gate_proj", Attention.projection(prefix, "gate_proj", width, config.intermediateSize(), lora));
    this.up = addChildBlock("up_proj", Attention.projection(prefix, "up_proj", width, config.intermediateSize(), lora));
    this.down = addChildBlock("down_proj", Attention.projection(prefix, "down_proj", config.intermediateSize(), width, lora));
  }

  /** The three projections. */
  public List<LoraLinear> projections() {
    return List.of(gate, up, down);
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray g = gate.forward(store, inputs, training).singletonOrThrow();
    NDArray u = up.forward(store, inputs, training).singletonOrThrow();
    // silu(g) = g·σ(g), written out: DJL's swish scales by a short-lived scalar (see Scalars).
    return down.forward(store, new NDList(g.mul(Activation.sigmoid(g)).mul(u)), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    gate.initialize(manager, dataType, inputShapes);
    up.initialize(manager, dataType, inputShapes);
    down.initialize(manager, dataType, gate.getOutputShapes(inputShapes));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
