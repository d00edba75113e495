package ai.payable.training.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rotary position embedding settings: the base θ and how the frequencies are scaled for contexts
 * longer than the model was pretrained on. The inverse frequencies are computed as transformers
 * computes them ({@code 1 / θ^(2i/d)} in float32, then the scaling), so positions rotate
 * identically.
 *
 * @param theta the base (10,000 for Llama 2, 100,000 for SmolLM2, 500,000 for Llama 3)
 */
record Rope(double theta, Scaling scaling) {

  /** How frequencies are rescaled. */
  public sealed interface Scaling permits None, Linear, Llama3 {
    /** Rescales the unscaled inverse frequencies. */
    float[] apply(float[] inverseFrequencies);

    /** Writes the scaling's fields into {@code rope_parameters}. */
    void writeTo(ObjectNode parameters);
  }

  /** Unscaled ({@code rope_type: default}). */
  public record None() implements Scaling {
    @Override
    public float[] apply(float[] inv) {
      return inv;
    }

    @Override
    public void writeTo(ObjectNode p) {
      p.put("rope_type", "default");
    }
  }

  /** Position interpolation: every frequency divided by {@code factor} ({@code rope_type: linear}). */
  public record Linear(double factor) implements Scaling {
    @Override
    public float[] apply(float[] inv) {
      float[] out = new float[inv.length];
      for (int i = 0; i < inv.length; i++) {
        out[i] = (float) (inv[i] / factor);
      }
      return out;
    }

    @Override
    public void writeTo(ObjectNode p) {
      p.put("rope_type", "linear").put("factor", factor);
    }
  }

  /**
   * Llama 3.1's scaling ({@code rope_type: llama3}): low frequencies divided by {@code factor},
   * high ones kept, the band between interpolated smoothly.
   */
  public record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) implements Scaling {
    @Override
    public float[] apply(float[] inv) {
      double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
      double highFreqWavelen = originalMaxPositions / highFreqFactor;
      float[] out = new float[inv.length];
      for (int i = 0; i < inv.length; i++) {
        double wavelen = 2 * Math.PI / inv[i];
        double scaled = wavelen > lowFreqWavelen ? inv[i] / factor : inv[i];
        if (!(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen)) {
          double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
          scaled = (1 - smooth) * scaled / factor + smooth * scaled;
        }
        out[i] = (float) scaled;
      }
      return out;
    }

    @Override
    public void writeTo(ObjectNode p) {
      p.put("rope_type", "llama3").put("factor", factor).put("low_freq_factor", lowFreqFactor).put("high_freq_factor", highFreqFactor)
          .put("original_max_position_embeddings", originalMaxPositions);
    }
  }

  public Rope {
    if (!(theta > 0)) {
      throw new IllegalArgumentException("rope_theta = " + theta + " is not valid");
    }
  }

  /** An unscaled rotary embedding with base {@code theta}. */
  public static Rope standard(double theta) {
    return new Rope(theta, new None());
  }

  /** The inverse frequency of each of the {@code headDim / 2} rotated pairs, in float32. */
  public float[] inverseFrequencies(int headDim) {
    float[] inv = new float[headDim / 2];
    for (int i = 0; i < inv.length; i++) {
      float exponent = (float) (2 * i) / headDim;
      inv[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
    }
    return scaling.apply(inv);
  }

  /**
   * Reads the RoPE settings of a {@code config.json}: {@code rope_parameters} (transformers 5), else
   * top-level {@code rope_theta} with optional {@code rope_scaling}. Scalings this model does not
   * implement are refused by name.
   */
  static Rope fromHuggingFace(JsonNode c, String source) {
    JsonNode p = c.path("rope_parameters");
    JsonNode scaling = p.isObject() ? p : c.path("rope_scaling");
    double theta = p.isObject() && p.has("rope_theta") ? p.path("rope_theta").asDouble() : c.path("rope_theta").asDouble(10_000);
    String type = scaling.isObject() ? scaling.path("rope_type").asText(scaling.path("type").asText("default")) : "default";
    Scaling s = switch (type) {
      case "default" -> new None();
      case "linear" -> new Linear(number(scaling, "factor", source));
      case "llama3" -> new Llama3(number(scaling, "factor", source), number(scaling, "low_freq_factor", source),
          number(scaling, "high_freq_factor", source), (int) number(scaling, "original_max_position_embeddings", source));
      default -> throw new IllegalArgumentException(source + ": RoPE scaling \"" + type + "\" is not implemented (supported: default, linear, llama3); "
          + "a model using it would compute wrong positions");
    };
    return new Rope(theta, s);
  }

  private static double number(JsonNode scaling, String field, String source) {
    JsonNode v = scaling.path(field);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(source + ": rope scaling field " + field + " = " + (v.isMissingNode() ? "(missing)" : v.toString()) + ": a number is required");
    }
    return v.asDouble();
  }

  /** Writes these settings as transformers 5 does ({@code rope_parameters}) and as older readers expect (top-level {@code rope_theta}). */
  void writeTo(ObjectNode c) {
    c.put("rope_theta", theta);
    ObjectNode p = c.putObject("rope_parameters");
    p.put("rope_theta", theta);
    scaling.writeTo(p);
  }
}
