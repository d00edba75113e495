package ai.payable.rewards.chain;

import ai.payable.core.retry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A JSON-RPC connection whose chain id was checked against the one the caller expects, so a
 * mistyped URL can never send a transaction to the wrong network. Every call on it is retried with
 * backoff as {@link RetryPolicy} says.
 *
 * @param web3 the web3j client
 * @param url the endpoint
 * @param chainId the verified chain id
 */
public record ChainConnection(Web3j web3, String url, long chainId) implements AutoCloseable {

  /**
   * Connects to {@code url} and checks it serves {@code expectedChainId}.
   *
   * @throws IOException when the node cannot be reached even after retries
   * @throws IllegalArgumentException when it serves another chain
   */
  public static ChainConnection open(String url, long expectedChainId, RetryPolicy retry) throws IOException {
    OkHttpClient http = new OkHttpClient.Builder()
        .addInterceptor(new RpcRetryInterceptor(retry))
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(60))
        .build();
    Web3j web3 = Web3j.build(new HttpService(url, http));
    long actual;
    try {
      actual = web3.ethChainId().send().getChainId().longValue();
    } catch (IOException e) {
      web3.shutdown();
      throw new IOException("cannot reach the JSON-RPC node at " + url + " (" + e.getMessage() + "); check --rpc and that the node is up", e);
    }
    if (actual != expectedChainId) {
      web3.shutdown();
      throw new IllegalArgumentException(url + " serves chain " + actual + ", not the expected " + expectedChainId + "; nothing sent");
    }
    return new ChainConnection(web3, url, actual);
  }

  @Override
  public void close() {
    web3.shutdown();
  }
}
