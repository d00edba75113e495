package ai.payable.training.lora;

import java.util.List;
import java.util.Set;

/**
 * Where and how LoRA adapts a model: rank r, scale α/r, and the projections it targets, named as
 * PEFT names them ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj},
 * {@code gate_proj}, {@code up_proj}, {@code down_proj}).
 */
public record LoraSettings(int rank, float alpha, List<String> targets) {

  /** The projections a Llama decoder layer has. */
  public static final Set<String> PROJECTIONS = Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  public LoraSettings {
    if (rank <= 0) {
      throw new IllegalArgumentException("lora.rank must be positive, not " + rank);
    }
    if (!(alpha > 0)) {
      throw new IllegalArgumentException("lora.alpha must be positive, not " + alpha);
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("lora.targets is empty; name at least one of " + PROJECTIONS);
    }
    for (String t : targets) {
      if (!PROJECTIONS.contains(t)) {
        throw new IllegalArgumentException("lora.targets: unknown projection '" + t + "'; choose from " + PROJECTIONS);
      }
    }
    targets = List.copyOf(targets);
  }

  /** The factor the low-rank update is multiplied by. */
  public float scale() {
    return alpha / rank;
  }

  /** Whether {@code projection} (e.g. {@code q_proj}) is adapted. */
  public boolean targets(String projection) {
    return targets.contains(projection);
  }
}
