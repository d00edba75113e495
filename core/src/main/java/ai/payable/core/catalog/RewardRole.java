package ai.payable.core.catalog;

import java.util.Locale;

/** Why an account is paid in an epoch: the values of {@code epoch_rewards.role}. */
public enum RewardRole {
  /** A contributor whose records were credited by answers. */
  DATA,
  /** The owner of the model that answered. */
  MODEL_BUILDER,
  /** The protocol treasury: its cut, and the data part of answers no DataNet's records can be credited for. */
  PROTOCOL;

  /** The column value ({@code data}, {@code model_builder}, {@code protocol}). */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
