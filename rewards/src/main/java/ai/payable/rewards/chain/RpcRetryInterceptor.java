package ai.payable.rewards.chain;

import ai.payable.core.retry.RetryPolicy;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Retries a JSON-RPC HTTP call on connection failures, on 429/502/503/504 (honouring {@code
 * Retry-After}), and on the transient JSON-RPC errors nodes and providers return with HTTP 200:
 * {@code -32005} (limit exceeded, EIP-1474), {@code -32603} (internal error), and {@code -32000}
 * when its message says the node is behind or busy ("header not found", "timeout", "try again").
 * Other errors (a revert, a nonce too low) are answers, passed on at once. Safe for every call this project makes: reads are idempotent, and
 * transactions are signed once before sending, so a retried {@code eth_sendRawTransaction} carries
 * the same transaction (nonce and hash) and can never pay twice.
 */
final class RpcRetryInterceptor implements Interceptor {

  private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);
  private static final Set<Integer> TRANSIENT_RPC_CODES = Set.of(-32005, -32603, 429);
  private static final Pattern TRANSIENT_SERVER_ERROR =
      Pattern.compile("(?i)header not found|timeout|timed out|try again|rate limit|too many requests|temporarily unavailable|busy");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Error answers are small; a large body is a result, not worth reading twice. */
  private static final long MAX_PEEK = 64 * 1024;

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
        if (response.code() == 200 && policy.allowsRetryAfter(attempt) && transientRpcError(response)) {
          wait = policy.backoff(attempt);
          response.close();
        } else if (!RETRYABLE.contains(response.code()) || !policy.allowsRetryAfter(attempt)) {
          return response;
        } else {
          wait = policy.wait(attempt, response.header("Retry-After"));
          response.close();
        }
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

  /** Whether a 200 response carries a JSON-RPC error worth retrying. */
  private static boolean transientRpcError(Response response) throws IOException {
    JsonNode body;
    try {
      body = JSON.readTree(response.peekBody(MAX_PEEK).string());
    } catch (JsonProcessingException notJson) {
      return false;
    }
    JsonNode error = body == null ? null : body.get("error");
    if (error == null || !error.isObject()) {
      return false;
    }
    int code = error.path("code").asInt();
    return TRANSIENT_RPC_CODES.contains(code) || (code == -32000 && TRANSIENT_SERVER_ERROR.matcher(error.path("message").asText()).find());
  }
}
