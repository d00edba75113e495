package ai.payable.core.catalog;

/** Why an account is paid in an epoch: the values of {@code epoch_rewards.role}. */
public enum RewardRole implements ColumnValue {
  /** A contributor whose records were credited by answers. */
  DATA,
  /** The owner of the model that answered. */
  MODEL_BUILDER,
  /** The protocol treasury: its cut, and the data part of answers no DataNet's records can be credited for. */
  PROTOCOL;
}
