package ai.payable.training.lora;

import java.util.List;

/**
 * Where and how LoRA adapts a model, as PEFT's {@code LoraConfig} says it: rank r, α, the
 * projections it targets ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj},
 * {@code gate_proj}, {@code up_proj}, {@code down_proj}), dropout on the adapter's input while
 * training, and rank-stabilised scaling (rsLoRA: α/√r instead of α/r).
 */
public record LoraSettings(int rank, float alpha, List<String> targets, float dropout, boolean rslora) {

  /** The projections of a Llama decoder layer, attention first, in PEFT's names. */
  public static final List<String> PROJECTIONS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  public LoraSettings {
    if (rank <= 0) {
      throw new IllegalArgumentException("lora.rank must be positive, not " + rank);
    }
    if (!(alpha > 0)) {
      throw new IllegalArgumentException("lora.alpha must be positive, not " + alpha);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("lora.dropout must be within [0, 1), not " + dropout);
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("lora.targets is empty; name at least one of " + PROJECTIONS + " (or all-linear)");
    }
    if (targets.equals(List.of("all-linear"))) {
      targets = PROJECTIONS;
    }
    for (String t : targets) {
      if (!PROJECTIONS.contains(t)) {
        throw new IllegalArgumentException("lora.targets: unknown projection '" + t + "'; choose from " + PROJECTIONS + " or all-linear");
      }
    }
    targets = PROJECTIONS.stream().filter(targets::contains).toList();
  }

  /** Plain LoRA without dropout. */
  public LoraSettings(int rank, float alpha, List<String> targets) {
    this(rank, alpha, targets, 0f, false);
  }

  /** The factor the low-rank update is multiplied by: α/r, or α/√r with rsLoRA. */
  public float scale() {
    return rslora ? (float) (alpha / Math.sqrt(rank)) : alpha / rank;
  }

  /** Whether {@code projection} (e.g. {@code q_proj}) is adapted. */
  public boolean targets(String projection) {
    return targets.contains(projection);
  }
}
