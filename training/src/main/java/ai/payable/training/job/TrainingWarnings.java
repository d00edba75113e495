package ai.payable.training.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The signs that a training run made a model nobody should rely on: too little data, too few
 * optimizer steps, nothing held out to measure it on, or a loss that did not fall. Each warning says
 * what to change in the spec; none stops the run (a tiny model is fine for a smoke test).
 */
final class TrainingWarnings {

  /**
   * Below this many training records an adapter learns a handful of sentences, not a DataNet. The
   * demo's adapters (about 48 records each) are above it; five records are far below.
   */
  static final int FEW_RECORDS = 16;

  /** Below this many optimizer steps the learning-rate schedule has barely left its warm-up (the demo's adapters take 12). */
  static final int FEW_STEPS = 10;

  private TrainingWarnings() {}

  /** The warnings for a run that trained on {@code trainRecords}, held out {@code heldoutRecords} and logged {@code losses}, one per step. */
  public static List<String> of(int trainRecords, int heldoutRecords, List<Float> losses) {
    List<String> out = new ArrayList<>();
    if (trainRecords < FEW_RECORDS) {
      out.add(String.format(Locale.ROOT, "only %d training records (fewer than %d): the model is unlikely to have learned the DataNet; "
          + "train once more records are accepted", trainRecords, FEW_RECORDS));
    }
    if (losses.size() < FEW_STEPS) {
      out.add(String.format(Locale.ROOT, "only %d optimizer steps (fewer than %d): raise epochs or lower batch_size in the spec",
          losses.size(), FEW_STEPS));
    }
    if (heldoutRecords == 0) {
      out.add("no record was held out, so there is no held-out loss: the model is unevaluated; set heldout_fraction (e.g. 0.1) "
          + "once the DataNet has enough records");
    }
    if (losses.size() >= 10) {
      int tenth = losses.size() / 10;
      double first = mean(losses.subList(0, tenth));
      double last = mean(losses.subList(losses.size() - tenth, losses.size()));
      if (!(last < first)) {
        out.add(String.format(Locale.ROOT, "the training loss did not fall (%.3f over the first tenth of the steps, %.3f over the last): "
            + "lower the learning rate or check the records", first, last));
      }
    }
    return out;
  }

  private static double mean(List<Float> values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.size();
  }
}
