package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import java.util.ArrayList;
import java.util.List;

/** One pre-norm decoder layer: {@code h = x + attn(norm(x)); out = h + mlp(norm(h))}. */
public final class DecoderLayer extends AbstractBlock {

  private final RmsNorm inputNorm;
  private final Attention attention;
  private final RmsNorm postAttentionNorm;
  private final SwiGlu mlp;

  public DecoderLayer(int index, LlamaConfig config, LoraSettings lora) {
    String prefix = "model.layers." + index;
    this.inputNorm = addChildBlock("input_layernorm", new RmsNorm(prefix + ".input_layernorm.weight", config.hiddenSize(), config.rmsNormEps()));
    this.attention = addChildBlock("self_attn", new Attention(prefix + ".self_attn", config, lora));
    this.postAttentionNorm = addChildBlock("post_attention_layernorm",
        new RmsNorm(prefix + ".post_attention_layernorm.weight", config.hiddenSize(), config.rmsNormEps()));
    this.mlp = addChildBlock("mlp", new SwiGlu(prefix + ".mlp", config, lora));
  }

  /** Every projection of the layer, attention first. */
  public List<LoraLinear> projections() {
    List<LoraLinear> all = new ArrayList<>(attention.projections());
    all.addAll(mlp.projections());
    return all;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray h = x.add(attention.forward(store, inputNorm.forward(store, inputs, training), training).singletonOrThrow());
    NDList normed = postAttentionNorm.forward(store, new NDList(h), training);
    return new NDList(h.add(mlp.forward(store, normed, training).singletonOrThrow()));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    inputNorm.initialize(manager, dataType, inputShapes);
    attention.initialize(manager, dataType, inputShapes);
    postAttentionNorm.initialize(manager, dataType, inputShapes);
    mlp.initialize(manager, dataType, inputShapes);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
