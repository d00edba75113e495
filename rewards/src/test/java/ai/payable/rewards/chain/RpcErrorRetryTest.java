package ai.payable.rewards.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.retry.RetryPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.EthBlockNumber;

/**
 * JSON-RPC errors that providers return with HTTP 200: the transient ones (rate limits, a node
 * behind its peers) are retried, answers such as a revert or a used nonce are not.
 */
class RpcErrorRetryTest {

  private static final RetryPolicy QUICK = new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(20));

  private HttpServer server;
  private final Deque<String> blockNumberErrors = new ArrayDeque<>();
  private final AtomicInteger blockNumberCalls = new AtomicInteger();

  /** A node that answers eth_chainId, and eth_blockNumber with the queued errors first. */
  private String node() throws Exception {
    ObjectMapper json = new ObjectMapper();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      JsonNode request = json.readTree(exchange.getRequestBody());
      String id = request.path("id").toString();
      String body;
      if (request.path("method").asText().equals("eth_chainId")) {
        body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"0x7a69\"}";
      } else {
        blockNumberCalls.incrementAndGet();
        String error = blockNumberErrors.poll();
        body = error == null ? "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"0x10\"}" : "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":" + error + "}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void transientErrorsWithHttp200AreRetried() throws Exception {
    blockNumberErrors.add("{\"code\":-32005,\"message\":\"limit exceeded\"}");
    blockNumberErrors.add("{\"code\":-32000,\"message\":\"header not found\"}");
    blockNumberErrors.add("{\"code\":-32603,\"message\":\"internal error\"}");
    try (ChainConnection c = ChainConnection.open(node(), 31337, QUICK)) {
      EthBlockNumber n = c.web3().ethBlockNumber().send();
      assertTrue(!n.hasError(), () -> n.getError().getMessage());
      assertEquals(BigInteger.valueOf(16), n.getBlockNumber());
      assertEquals(4, blockNumberCalls.get(), "three transient errors, then the answer");
    }
  }

  @Test
  void answersThatAreErrorsAreNotRetried() throws Exception {
    blockNumberErrors.add("{\"code\":-32000,\"message\":\"nonce too low\"}");
    try (ChainConnection c = ChainConnection.open(node(), 31337, QUICK)) {
      EthBlockNumber n = c.web3().ethBlockNumber().send();
      assertTrue(n.hasError());
      assertEquals("nonce too low", n.getError().getMessage());
      assertEquals(1, blockNumberCalls.get());
    }
  }

  @Test
  void retriesStopAtThePolicysLimit() throws Exception {
    for (int i = 0; i < 10; i++) {
      blockNumberErrors.add("{\"code\":-32005,\"message\":\"limit exceeded\"}");
    }
    try (ChainConnection c = ChainConnection.open(node(), 31337, QUICK)) {
      EthBlockNumber n = c.web3().ethBlockNumber().send();
      assertEquals("limit exceeded", n.getError().getMessage(), "the last error is passed on");
      assertEquals(QUICK.attempts(), blockNumberCalls.get());
    }
  }
}
