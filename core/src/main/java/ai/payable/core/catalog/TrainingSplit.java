package ai.payable.core.catalog;

/** Which side of a model's data a record was on: the values of {@code training_examples.split}. */
public enum TrainingSplit implements ColumnValue {
  /** The model was fitted on the record; its contributor can be credited for the model's answers. */
  TRAIN,
  /** Held out to measure the model; never credited. */
  HELDOUT;
}
