package ai.payable.training.job;

import ai.payable.training.train.TrainingLoop;
import java.io.Serializable;
import java.util.Locale;

/** Training progress for people watching a run: a line about every 5% of the steps with loss, throughput and time left. */
public final class TrainingProgress {

  private TrainingProgress() {}

  /** Prints progress to stderr, each line led by {@code label} when not empty (parallel tasks share one console). */
  public static TrainingLoop.Listener toStderr(String label) {
    return (TrainingLoop.Listener & Serializable) (step, total, loss, tokens, seconds) -> {
      int every = Math.max(1, total / 20);
      if (step % every == 0 || step == total) {
        double eta = seconds / step * (total - step);
        System.err.printf(Locale.ROOT, "     %sstep %d/%d  loss %.4f  %,.0f tokens/s  ETA %dm%02ds%n", label.isEmpty() ? "" : label + "  ", step, total, loss,
            tokens / Math.max(seconds, 1e-9), (long) eta / 60, (long) eta % 60);
      }
    };
  }
}
