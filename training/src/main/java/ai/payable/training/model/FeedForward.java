package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import java.util.ArrayList;
import java.util.List;

/** Llama's gated MLP: {@code down(act(gate(x)) · up(x))}. */
final class FeedForward {

  private final LlamaConfig.Activation activation;
  private final LoraLinear gate;
  private final LoraLinear up;
  private final LoraLinear down;

  /** @param prefix e.g. {@code model.layers.0.mlp} */
  FeedForward(String prefix, LlamaConfig config, LoraSettings lora) {
    this.activation = config.activation();
    int d = config.hiddenSize();
    int inner = config.intermediateSize();
    this.gate = Attention.projection(prefix, "gate_proj", d, inner, config.mlpBias(), lora);
    this.up = Attention.projection(prefix, "up_proj", d, inner, config.mlpBias(), lora);
    this.down = Attention.projection(prefix, "down_proj", inner, d, config.mlpBias(), lora);
  }

  List<LoraLinear> projections() {
    return List.of(gate, up, down);
  }

  List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    projections().forEach(p -> all.addAll(p.parameters()));
    return all;
  }

  NDArray forward(ParameterStore store, NDArray x, boolean training) {
    NDArray g = gate.forward(store, x, training);
    NDArray u = up.forward(store, x, training);
    if (!training && activation == LlamaConfig.Activation.SILU) {
      // Without autograd the products can overwrite their inputs: two fewer [B, T, inner] buffers per layer.
      return down.forward(store, Activation.sigmoid(g).muli(g).muli(u), training);
    }
    return down.forward(store, activate(g).mul(u), training);
  }

  private NDArray activate(NDArray g) {
    return switch (activation) {
      // Written out: DJL's swish scales by a short-lived scalar that autograd would read after it is freed (see Scalars).
      case SILU -> g.mul(Activation.sigmoid(g));
      case GELU -> Activation.gelu(g);
      case RELU -> Activation.relu(g);
      case GELU_TANH -> {
        // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as torch's gelu(approximate='tanh').
        NDArray inner = Scalars.mul(g.add(Scalars.mul(g.mul(g).mul(g), 0.044715f)), (float) Math.sqrt(2 / Math.PI));
        yield Scalars.mul(g, 0.5f).mul(Scalars.add(Activation.tanh(inner), 1f));
      }
    };
  }
}
