package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import java.util.ArrayList;
import java.util.List;

/** One pre-norm decoder layer: {@code h = x + attn(norm(x)); out = h + mlp(norm(h))}. */
final class DecoderLayer {

  private final RmsNorm inputNorm;
  private final Attention attention;
  private final RmsNorm postAttentionNorm;
  private final FeedForward mlp;

  DecoderLayer(int index, LlamaConfig config, LoraSettings lora) {
    String prefix = "model.layers." + index;
    this.inputNorm = new RmsNorm(prefix + ".input_layernorm.weight", config.hiddenSize(), config.rmsNormEps());
    this.attention = new Attention(prefix + ".self_attn", config, lora);
    this.postAttentionNorm = new RmsNorm(prefix + ".post_attention_layernorm.weight", config.hiddenSize(), config.rmsNormEps());
    this.mlp = new FeedForward(prefix + ".mlp", config, lora);
  }

  /** Every projection of the layer, attention first. */
  List<LoraLinear> projections() {
    List<LoraLinear> all = new ArrayList<>(attention.projections());
    all.addAll(mlp.projections());
    return all;
  }

  List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    all.add(inputNorm.gain());
    all.addAll(attention.parameters());
    all.add(postAttentionNorm.gain());
    all.addAll(mlp.parameters());
    return all;
  }

  NDArray forward(ParameterStore store, NDArray x, Rotary.Rotation rotation, NDArray mask, KvCache cache, int layer, boolean training) {
    NDArray attended = attention.forward(store, inputNorm.forward(store, x, training), rotation, mask, cache, layer, training);
    // Without autograd the residual sums reuse the branch's fresh buffer (a + b is b + a, exactly).
    NDArray h = training ? x.add(attended) : attended.addi(x);
    NDArray mixed = mlp.forward(store, postAttentionNorm.forward(store, h, training), training);
    return training ? h.add(mixed) : mixed.addi(h);
  }
}
