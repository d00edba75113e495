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
import java.util.List;

/** Causal multi-head self-attention with rotary positions and q/k/v/o projections (Llama's {@code self_attn}). */
public final class Attention extends AbstractBlock {

  private final LlamaConfig config;
  private final Rotary rotary;
  private final LoraLinear q;
  private final LoraLinear k;
  private final LoraLinear v;
  private final LoraLinear o;

  /** @param prefix e.g. {@code model.layers.0.self_attn} */
  public Attention(String prefix, LlamaConfig config, LoraSettings lora) {
    this.config = config;
    this.rotary = new Rotary(config.headSize(), config.ropeTheta());
    int d = config.hiddenSize();
    this.q = addChildBlock("q_proj", projection(prefix, "q_proj", d, d, lora));
    this.k = addChildBlock("k_proj", projection(prefix, "k_proj", d, d, lora));
    this.v = addChildBlock("v_proj", projection(prefix, "v_proj", d, d, lora));
    this.o = addChildBlock("o_proj", projection(prefix, "o_proj", d, d, lora));
  }

  static LoraLinear projection(String prefix, String name, int in, int out, LoraSettings lora) {
    return new LoraLinear(prefix + "." + name, in, out, lora != null && lora.targets(name) ? lora : null);
  }

  /** The four projections. */
  public List<LoraLinear> projections() {
    return List.of(q, k, v, o);
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long b = x.getShape().get(0);
    int t = (int) x.getShape().get(1);
    int h = config.heads();
    int hd = config.headSize();
    NDManager m = x.getManager();
    NDList tables = rotary.tables(m, t);
    NDArray queries = Rotary.apply(heads(q.forward(store, inputs, training).singletonOrThrow(), b, t, h, hd), tables);
    NDArray keys = Rotary.apply(heads(k.forward(store, inputs, training).singletonOrThrow(), b, t, h, hd), tables);
    NDArray values = heads(v.forward(store, inputs, training).singletonOrThrow(), b, t, h, hd);

    NDArray scores = Scalars.mul(queries.matMul(keys.transpose(0, 1, 3, 2)), (float) (1.0 / Math.sqrt(hd)));
    // Position j may not attend to a later position: -1e9 rather than -inf keeps softmax free of NaN.
    NDArray later = m.arange(t).expandDims(0).gt(m.arange(t).expandDims(1)).toType(DataType.FLOAT32, false);
    NDArray weights = scores.add(Scalars.mul(later, -1e9f)).softmax(-1);
    NDArray mixed = weights.matMul(values).transpose(0, 2, 1, 3).reshape(b, t, (long) h * hd);
    return o.forward(store, new NDList(mixed), training);
  }

  private static NDArray heads(NDArray x, long b, int t, int h, int hd) {
    return x.reshape(b, t, h, hd).transpose(0, 2, 1, 3);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (LoraLinear p : projections()) {
      p.initialize(manager, dataType, inputShapes);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
