package ai.payable.rewards.chain;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently JSON-RPC calls are retried when the node is unreachable or answers
 * 429/5xx. Backoff doubles per failure up to {@code maxBackoff}, with full jitter so many clients
 * that failed together do not retry together.
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
  }

  /** The wait after the {@code failures}-th failure (1-based). */
  public Duration backoff(int failures) {
    long cap = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(failures - 1, 20));
    return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
  }
}
