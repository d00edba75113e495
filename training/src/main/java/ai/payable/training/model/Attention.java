package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Llama's {@code self_attn}: causal self-attention with rotary positions, grouped-query key/value
 * heads and a key/value cache, computed in transformers' eager order (q·kᵀ scaled, mask added,
 * softmax in float32, times v).
 */
final class Attention {

  private final LlamaConfig config;
  private final float scaling;
  private final LoraLinear q;
  private final LoraLinear k;
  private final LoraLinear v;
  private final LoraLinear o;

  /** @param prefix e.g. {@code model.layers.0.self_attn} */
  Attention(String prefix, LlamaConfig config, LoraSettings lora) {
    this.config = config;
    this.scaling = (float) Math.pow(config.headDim(), -0.5);
    int d = config.hiddenSize();
    boolean bias = config.attentionBias();
    this.q = projection(prefix, "q_proj", d, config.heads() * config.headDim(), bias, lora);
    this.k = projection(prefix, "k_proj", d, config.kvHeads() * config.headDim(), bias, lora);
    this.v = projection(prefix, "v_proj", d, config.kvHeads() * config.headDim(), bias, lora);
    this.o = projection(prefix, "o_proj", config.heads() * config.headDim(), d, bias, lora);
  }

  static LoraLinear projection(String prefix, String name, int in, int out, boolean bias, LoraSettings lora) {
    return new LoraLinear(prefix + "." + name, in, out, bias, lora != null && lora.targets(name) ? lora : null);
  }

  List<LoraLinear> projections() {
    return List.of(q, k, v, o);
  }

  List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    projections().forEach(p -> all.addAll(p.parameters()));
    return all;
  }

  /**
   * @param x the normed hidden states [B, T, D]
   * @param mask additive mask [B or 1, 1, T, S] (0 where a query may look, a large negative where not)
   * @param cache this model's key/value cache, or null; {@code layer} indexes it
   */
  NDArray forward(ParameterStore store, NDArray x, Rotary.Rotation rotation, NDArray mask, KvCache cache, int layer, boolean training) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int hd = config.headDim();
    NDArray queries = rotation.apply(heads(q.forward(store, x, training), b, t, config.heads(), hd), training);
    NDArray keys = rotation.apply(heads(k.forward(store, x, training), b, t, config.kvHeads(), hd), training);
    NDArray values = heads(v.forward(store, x, training), b, t, config.kvHeads(), hd);
    if (cache != null) {
      NDArray[] all = cache.append(layer, keys, values);
      keys = all[0];
      values = all[1];
    }
    int groups = config.groups();
    long keysLength = keys.getShape().get(2);
    NDArray mixed;
    if (groups == 1) {
      NDArray scores = scale(queries.matMul(keys.transpose(0, 1, 3, 2)), training);
      mixed = softmax(mask == null ? scores : masked(scores, mask, training)).matMul(values);
    } else {
      // Each key/value head serves `groups` consecutive query heads (transformers' repeat_kv): fold
      // those heads into the query length instead of copying keys and values `groups` times.
      NDArray grouped = queries.reshape(b, config.kvHeads(), groups * t, hd);
      NDArray scores = scale(grouped.matMul(keys.transpose(0, 1, 3, 2)), training).reshape(b, config.kvHeads(), groups, t, keysLength);
      NDArray weights = softmax(mask == null ? scores : masked(scores, mask.expandDims(1), training));
      mixed = weights.reshape(b, config.kvHeads(), groups * t, keysLength).matMul(values).reshape(b, config.heads(), t, hd);
    }
    mixed = mixed.transpose(0, 2, 1, 3).reshape(b, t, (long) config.heads() * hd);
    return o.forward(store, mixed, training);
  }

  /** Scores times 1/√headDim; in place without autograd. */
  private NDArray scale(NDArray scores, boolean training) {
    return training ? Scalars.mul(scores, scaling) : scores.muli(Scalars.of(scores, scaling));
  }

  /** Scores plus the additive mask; in place without autograd. */
  private static NDArray masked(NDArray scores, NDArray mask, boolean training) {
    return training ? scores.add(mask) : scores.addi(mask);
  }

  /** Softmax over keys in float32, as transformers computes it for every precision. */
  private static NDArray softmax(NDArray scores) {
    return scores.getDataType() == DataType.FLOAT32 ? scores.softmax(-1)
        : scores.toType(DataType.FLOAT32, false).softmax(-1).toType(scores.getDataType(), false);
  }

  private static NDArray heads(NDArray x, long b, long t, int h, int hd) {
    return x.reshape(b, t, h, hd).transpose(0, 2, 1, 3);
  }
}
