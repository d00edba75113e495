package ai.payable.core.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a remote call is retried when the server is unreachable or says
 * "not now" (the JSON-RPC node, Airflow's API server). Backoff doubles per failure up to
 * {@code maxBackoff}, with jitter so that many clients that failed together do not retry together;
 * a server's {@code Retry-After} is honoured up to the same cap.
 *
 * @param attempts total tries per call, at least 1
 * @param firstBackoff wait before the second try
 * @param maxBackoff cap on any single wait
 */
public record RetryPolicy(int attempts, Duration firstBackoff, Duration maxBackoff) {

  /** About half a minute of patience in all: an L2 sequencer restart or a load balancer hiccup. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(7, Duration.ofMillis(250), Duration.ofSeconds(8));

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
    }
    if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException("backoff must be 0 ≤ first (" + firstBackoff + ") ≤ max (" + maxBackoff + ")");
    }
  }

  /** Whether a call that has failed {@code failures} times may be tried again. */
  public boolean allowsRetryAfter(int failures) {
    return failures < attempts;
  }

  /** The wait after the {@code failures}-th failure (1-based): between half and all of the doubled backoff. */
  public Duration backoff(int failures) {
    long cap = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(failures - 1, 20));
    return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
  }

  /**
   * The wait after the {@code failures}-th failure when the server answered with
   * {@code retryAfter} (the header's value, or null): its delay in seconds, capped at
   * {@code maxBackoff}, else {@link #backoff}. HTTP dates are not honoured (no server here sends them).
   */
  public Duration wait(int failures, String retryAfter) {
    if (retryAfter != null && retryAfter.strip().matches("\\d{1,6}")) {
      return Duration.ofSeconds(Math.min(Long.parseLong(retryAfter.strip()), maxBackoff.toSeconds()));
    }
    return backoff(failures);
  }

  /**
   * Sleeps for {@code wait}.
   *
   * @throws InterruptedException when interrupted, with the interrupt flag set again for callers that wrap it
   */
  public static void sleep(Duration wait) throws InterruptedException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw e;
    }
  }
}
