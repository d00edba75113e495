package ai.payable.core.stage;

import java.time.LocalDate;
import java.util.Optional;

/**
 * An input that another stage produces is missing: no DataNets registered, no such model, no
 * distribution for an epoch, proofs of a root the distributor has not accepted. The message says
 * what is missing and where; {@link #remedy()} names what would supply it, so that a front end (the
 * CLI, a notebook) can say how to do that in its own terms. Stages never name CLI commands.
 */
public final class MissingInputException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** What would supply the missing input. */
  public enum Remedy {
    /** Declare the DataNets and their policies before ingesting submissions. */
    REGISTER_DATANETS,
    /** Train or import the model, or name one that is registered. */
    TRAIN_MODEL,
    /** Attribute the epoch's answers, then build its distribution. */
    ATTRIBUTE_AND_BUILD,
    /** Build the epoch's distribution. */
    BUILD_DISTRIBUTION,
    /** Use the distribution whose root the distributor accepted. */
    USE_ACCEPTED_DISTRIBUTION
  }

  private final Remedy remedy;
  private final LocalDate epoch;

  /**
   * @param message what is missing and where, without how to make it
   * @param epoch the epoch the remedy is for, or null
   */
  public MissingInputException(String message, Remedy remedy, LocalDate epoch) {
    super(message);
    this.remedy = remedy;
    this.epoch = epoch;
  }

  public MissingInputException(String message, Remedy remedy) {
    this(message, remedy, null);
  }

  public Remedy remedy() {
    return remedy;
  }

  /** The epoch the remedy is for, when it is for one. */
  public Optional<LocalDate> epoch() {
    return Optional.ofNullable(epoch);
  }
}
