package ai.payable.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));

  @Test
  void backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
    long[] caps = {100, 200, 400, 800, 1000, 1000};
    for (int failures = 1; failures <= caps.length; failures++) {
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        long ms = policy.backoff(failures).toMillis();
        assertTrue(ms >= caps[failures - 1] / 2 && ms <= caps[failures - 1], "failure " + failures + ": " + ms + " ms");
        seen.add(ms);
      }
      assertTrue(seen.size() > 10, "the waits of failure " + failures + " are jittered: " + seen.size() + " distinct");
    }
  }

  @Test
  void retryAfterIsHonouredUpToTheCap() {
    assertEquals(Duration.ZERO, policy.wait(1, "0"));
    assertEquals(Duration.ofSeconds(1), policy.wait(1, " 1 "));
    assertEquals(Duration.ofMillis(1000), policy.wait(1, "120"), "capped at the policy's longest wait");
    long otherwise = policy.wait(3, "Wed, 21 Oct 2026 07:28:00 GMT").toMillis();
    assertTrue(otherwise >= 200 && otherwise <= 400, "an HTTP date falls back to the backoff: " + otherwise);
    assertTrue(policy.wait(2, null).toMillis() <= 200);
  }

  @Test
  void attemptsCountTheFirstTry() {
    assertTrue(policy.allowsRetryAfter(4));
    assertFalse(policy.allowsRetryAfter(5));
    assertFalse(new RetryPolicy(1, Duration.ZERO, Duration.ZERO).allowsRetryAfter(1));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
