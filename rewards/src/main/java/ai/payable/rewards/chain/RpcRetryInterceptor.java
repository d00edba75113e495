package ai.payable.rewards.chain;

import ai.payable.core.retry.RetryPolicy;
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
        if (!RETRYABLE.contains(response.code()) || !policy.allowsRetryAfter(attempt)) {
          return response;
        }
        wait = policy.wait(attempt, response.header("Retry-After"));
        response.close();
      } catch (InterruptedIOException timeout) {
        if (!policy.allowsRetryAfter(attempt)) {
          throw timeout;
        }
        wait = policy.backoff(attempt);
      } catch (IOException e) {
        if (!policy.allowsRetryAfter(attempt)) {
          throw new IOException(chain.request().url() + " failed " + attempt + " times, last: " + e.getMessage(), e);
        }
        wait = policy.backoff(attempt);
      }
      try {
        RetryPolicy.sleep(wait);
      } catch (InterruptedException e) {
        throw new InterruptedIOException("interrupted while waiting to retry " + chain.request().url());
      }
    }
  }
}
