package ai.payable.rewards.chain;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Retries a JSON-RPC HTTP call on connection failures and on 429/502/503/504, honouring
 * {@code Retry-After}. Safe for every call this project makes: reads are idempotent, and
 * transactions are signed once before sending, so a retried {@code eth_sendRawTransaction} carries
 * the same transaction (nonce and hash) and can never pay twice.
 */
final class RpcRetryInterceptor implements Interceptor {

  private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);

  private final RetryPolicy policy;

  RpcRetryInterceptor(RetryPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Duration wait;
      try {
        Response response = chain.proceed(chain.request());
        if (!RETRYABLE.contains(response.code()) || attempt >= policy.attempts()) {
          return response;
        }
        wait = retryAfter(response).orElse(policy.backoff(attempt));
        response.close();
      } catch (InterruptedIOException timeout) {
        if (attempt >= policy.attempts()) {
          throw timeout;
        }
        wait = policy.backoff(attempt);
      } catch (IOException e) {
        if (attempt >= policy.attempts()) {
          throw new IOException(chain.request().url() + " failed " + attempt + " times, last: " + e.getMessage(), e);
        }
        wait = policy.backoff(attempt);
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting to retry " + chain.request().url());
      }
    }
  }

  private java.util.Optional<Duration> retryAfter(Response response) {
    String header = response.header("Retry-After");
    if (header != null && header.matches("\\d{1,4}")) {
      return java.util.Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(header), policy.maxBackoff().toSeconds())));
    }
    return java.util.Optional.empty();
  }
}
