package ai.payable.core.config;

import java.util.Locale;

/**
 * Where a long job reports its steps: the CLI prints them to stderr with the time each took, so
 * a data engineer watching a run sees where it is and where the time goes.
 */
@FunctionalInterface
public interface Progress {

  /** Reports that {@code step} is starting. */
  void step(String step);

  /** Reports nothing. */
  static Progress silent() {
    return step -> {};
  }

  /** Prints each step to stderr with the seconds the previous one took. */
  static Progress toStderr() {
    return new Progress() {
      private long last = System.nanoTime();
      private String previous;

      @Override
      public void step(String step) {
        long now = System.nanoTime();
        if (previous != null) {
          System.err.printf(Locale.ROOT, "  .. %s done in %.1fs%n", previous, (now - last) / 1e9);
        }
        if (!step.isEmpty()) {
          System.err.println("  -> " + step);
        }
        previous = step.isEmpty() ? null : step;
        last = now;
      }
    };
  }
}
