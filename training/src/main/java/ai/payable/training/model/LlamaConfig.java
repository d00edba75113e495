package ai.payable.training.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The shape of a Llama-family decoder, read from and written as Hugging Face's {@code config.json}
 * ({@code LlamaForCausalLM}). Everything that changes the computation is here and checked: a
 * config this class accepts gives the logits transformers gives, and anything it cannot honour
 * (another architecture, a RoPE scaling it does not implement, an unknown activation) is refused
 * with the file and field named, never silently approximated.
 *
 * @param vocabSize token vocabulary size
 * @param hiddenSize model width
 * @param layers decoder layers
 * @param heads query heads
 * @param kvHeads key/value heads (grouped-query attention when fewer than {@code heads}; 1 is multi-query)
 * @param headDim width of one head ({@code hidden_size / heads} unless the file says otherwise)
 * @param intermediateSize MLP inner width
 * @param maxPositions longest sequence (context length)
 * @param rope rotary position embedding: base and scaling
 * @param rmsNormEps RMSNorm epsilon
 * @param activation the MLP's gate activation
 * @param attentionBias whether q/k/v/o projections have biases
 * @param mlpBias whether gate/up/down projections have biases
 * @param tieWordEmbeddings whether the LM head is the embedding matrix
 */
public record LlamaConfig(int vocabSize, int hiddenSize, int layers, int heads, int kvHeads, int headDim, int intermediateSize, int maxPositions,
    Rope rope, float rmsNormEps, Activation activation, boolean attentionBias, boolean mlpBias, boolean tieWordEmbeddings) {

  /** The MLP activations Llama-family checkpoints use, by their {@code hidden_act} names. */
  public enum Activation {
    /** x·σ(x) ({@code silu}, also called {@code swish}): Llama's. */
    SILU,
    /** The exact, erf-based GELU ({@code gelu}). */
    GELU,
    /** GELU's tanh approximation ({@code gelu_pytorch_tanh}, {@code gelu_new}). */
    GELU_TANH,
    /** max(x, 0) ({@code relu}). */
    RELU;

    /** The activation a {@code hidden_act} value names. */
    public static Activation of(String name, String source) {
      return switch (name) {
        case "silu", "swish" -> SILU;
        case "gelu" -> GELU;
        case "gelu_pytorch_tanh", "gelu_new" -> GELU_TANH;
        case "relu" -> RELU;
        default -> throw new IllegalArgumentException(source + ": hidden_act = \"" + name
            + "\" is not supported; supported: silu, swish, gelu, gelu_pytorch_tanh, gelu_new, relu");
      };
    }

    /** The {@code hidden_act} name transformers reads back as this activation. */
    public String huggingFaceName() {
      return switch (this) {
        case SILU -> "silu";
        case GELU -> "gelu";
        case GELU_TANH -> "gelu_pytorch_tanh";
        case RELU -> "relu";
      };
    }
  }

  private static final Set<String> ARCHITECTURES = Set.of("LlamaForCausalLM");

  public LlamaConfig {
    require(vocabSize > 0, "vocab_size", vocabSize);
    require(hiddenSize > 0, "hidden_size", hiddenSize);
    require(layers > 0, "num_hidden_layers", layers);
    require(heads > 0, "num_attention_heads", heads);
    require(kvHeads > 0 && heads % kvHeads == 0, "num_key_value_heads (must divide num_attention_heads " + heads + ")", kvHeads);
    require(headDim > 0 && headDim % 2 == 0, "head_dim (rotary needs an even head size)", headDim);
    require(intermediateSize > 0, "intermediate_size", intermediateSize);
    require(maxPositions > 1, "max_position_embeddings", maxPositions);
    if (!(rmsNormEps > 0)) {
      throw new IllegalArgumentException("rms_norm_eps = " + rmsNormEps + " is not valid");
    }
  }

  /** A small from-scratch shape with Llama's usual defaults (multi-head attention, SiLU, RoPE base 10,000, untied head). */
  public static LlamaConfig of(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize, int maxPositions) {
    if (heads <= 0 || hiddenSize % heads != 0) {
      throw new IllegalArgumentException("model.heads = " + heads + " is not valid: it must divide hidden_size " + hiddenSize);
    }
    return new LlamaConfig(vocabSize, hiddenSize, layers, heads, heads, hiddenSize / heads, intermediateSize, maxPositions, Rope.standard(10_000),
        1e-5f, Activation.SILU, false, false, false);
  }

  /** Query heads that share one key/value head. */
  public int groups() {
    return heads / kvHeads;
  }

  /** This shape with only {@code count} decoder layers (a student keeping a subset of its teacher's layers). */
  public LlamaConfig withLayers(int count) {
    return new LlamaConfig(vocabSize, hiddenSize, count, heads, kvHeads, headDim, intermediateSize, maxPositions, rope, rmsNormEps, activation,
        attentionBias, mlpBias, tieWordEmbeddings);
  }

  /**
   * Reads Hugging Face's {@code config.json}. Accepts the RoPE settings both where older files keep
   * them (top-level {@code rope_theta}, {@code rope_scaling}) and where transformers 5 writes them
   * ({@code rope_parameters}).
   *
   * @param source names the file in errors
   */
  public static LlamaConfig fromHuggingFace(JsonNode c, String source) {
    String type = c.path("model_type").asText("");
    if (!type.equals("llama")) {
      throw new IllegalArgumentException(source + ": model_type = \"" + type + "\" is not supported; this importer reads Llama-family checkpoints "
          + "(model_type \"llama\", e.g. Llama 2/3, SmolLM, TinyLlama)");
    }
    for (JsonNode a : c.path("architectures")) {
      if (!ARCHITECTURES.contains(a.asText())) {
        throw new IllegalArgumentException(source + ": architectures = " + c.path("architectures") + " is not supported; expected " + ARCHITECTURES);
      }
    }
    Fields f = new Fields(c, source);
    int hidden = f.integer("hidden_size");
    int heads = f.integer("num_attention_heads");
    int kvHeads = c.hasNonNull("num_key_value_heads") ? f.integer("num_key_value_heads") : heads;
    int headDim = c.hasNonNull("head_dim") ? f.integer("head_dim") : hidden / heads;
    if (!c.hasNonNull("head_dim") && hidden % heads != 0) {
      throw new IllegalArgumentException(source + ": hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads + " and head_dim is not given");
    }
    int maxPositions = f.integer("max_position_embeddings");
    try {
      return new LlamaConfig(f.integer("vocab_size"), hidden, f.integer("num_hidden_layers"), heads, kvHeads, headDim, f.integer("intermediate_size"),
          maxPositions, Rope.fromHuggingFace(c, source), (float) c.path("rms_norm_eps").asDouble(1e-6),
          Activation.of(c.path("hidden_act").asText("silu"), source), c.path("attention_bias").asBoolean(false), c.path("mlp_bias").asBoolean(false),
          c.path("tie_word_embeddings").asBoolean(false));
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(source) ? e : new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /** Hugging Face's {@code config.json} for this shape, with the tokenizer's special token ids. */
  public ObjectNode toHuggingFace(int bosTokenId, int eosTokenId, int padTokenId) {
    ObjectNode c = new ObjectMapper().createObjectNode();
    c.putArray("architectures").add("LlamaForCausalLM");
    c.put("model_type", "llama");
    c.put("vocab_size", vocabSize);
    c.put("hidden_size", hiddenSize);
    c.put("intermediate_size", intermediateSize);
    c.put("num_hidden_layers", layers);
    c.put("num_attention_heads", heads);
    c.put("num_key_value_heads", kvHeads);
    c.put("head_dim", headDim);
    c.put("max_position_embeddings", maxPositions);
    rope.writeTo(c);
    c.put("rms_norm_eps", rmsNormEps);
    c.put("hidden_act", activation.huggingFaceName());
    c.put("attention_bias", attentionBias);
    c.put("mlp_bias", mlpBias);
    c.put("tie_word_embeddings", tieWordEmbeddings);
    c.put("bos_token_id", bosTokenId);
    c.put("eos_token_id", eosTokenId);
    c.put("pad_token_id", padTokenId);
    c.put("torch_dtype", "float32");
    return c;
  }

  private static void require(boolean ok, String field, int value) {
    if (!ok) {
      throw new IllegalArgumentException(field + " = " + value + " is not valid");
    }
  }

  /** Required integer fields, with the file named when one is missing. */
  private record Fields(JsonNode c, String source) {
    int integer(String name) {
      JsonNode v = c.path(name);
      if (!v.canConvertToInt() || !v.isIntegralNumber()) {
        throw new IllegalArgumentException(source + ": " + name + " = " + (v.isMissingNode() ? "(missing)" : v.toString()) + ": an integer is required");
      }
      return v.asInt();
    }
  }
}
