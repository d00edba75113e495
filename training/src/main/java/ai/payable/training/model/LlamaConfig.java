package ai.payable.training.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shape of a Llama-style decoder: what Hugging Face's {@code LlamaConfig} calls it, so the
 * exported {@code config.json} loads as {@code LlamaForCausalLM}.
 *
 * @param vocabSize token vocabulary size
 * @param hiddenSize model width
 * @param layers decoder layers
 * @param heads attention heads (key/value heads are the same: no grouped-query attention)
 * @param intermediateSize SwiGLU inner width
 * @param maxPositions longest sequence (context length)
 * @param ropeTheta rotary base
 * @param rmsNormEps RMSNorm epsilon
 */
public record LlamaConfig(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize, int maxPositions, float ropeTheta,
    float rmsNormEps) {

  public LlamaConfig {
    require(vocabSize > 0, "vocab_size", vocabSize);
    require(hiddenSize > 0, "hidden_size", hiddenSize);
    require(layers > 0, "layers", layers);
    require(heads > 0 && hiddenSize % heads == 0, "heads (must divide hidden_size " + hiddenSize + ")", heads);
    require((hiddenSize / heads) % 2 == 0, "hidden_size / heads (rotary needs an even head size)", hiddenSize / heads);
    require(intermediateSize > 0, "intermediate_size", intermediateSize);
    require(maxPositions > 1, "context", maxPositions);
  }

  /** A config with Llama's usual rotary base and epsilon. */
  public static LlamaConfig of(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize, int maxPositions) {
    return new LlamaConfig(vocabSize, hiddenSize, layers, heads, intermediateSize, maxPositions, 10_000f, 1e-5f);
  }

  /** Width of one attention head. */
  public int headSize() {
    return hiddenSize / heads;
  }

  /** Hugging Face's {@code config.json} for this shape. */
  public ObjectNode toHuggingFace(int bosTokenId, int eosTokenId) {
    ObjectNode c = new ObjectMapper().createObjectNode();
    c.putArray("architectures").add("LlamaForCausalLM");
    c.put("model_type", "llama");
    c.put("vocab_size", vocabSize);
    c.put("hidden_size", hiddenSize);
    c.put("intermediate_size", intermediateSize);
    c.put("num_hidden_layers", layers);
    c.put("num_attention_heads", heads);
    c.put("num_key_value_heads", heads);
    c.put("head_dim", headSize());
    c.put("max_position_embeddings", maxPositions);
    c.put("rope_theta", ropeTheta);
    c.put("rms_norm_eps", rmsNormEps);
    c.put("hidden_act", "silu");
    c.put("attention_bias", false);
    c.put("mlp_bias", false);
    c.put("tie_word_embeddings", false);
    c.put("bos_token_id", bosTokenId);
    c.put("eos_token_id", eosTokenId);
    c.put("torch_dtype", "float32");
    return c;
  }

  private static void require(boolean ok, String field, int value) {
    if (!ok) {
      throw new IllegalArgumentException("model." + field + " = " + value + " is not valid");
    }
  }
}
