package ai.payable.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A locked metadata database answers "HTTP 500, Database error" (Airflow on SQLite while its
 * scheduler writes): requests that are safe to repeat are retried, others are not.
 */
class AirflowClientRetryTest {

  private static final String LOCKED = "{\"reason\":\"Database error\",\"statement\":\"hidden\"}";

  private static void answer(HttpExchange e, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    e.getResponseHeaders().add("Content-Type", "application/json");
    e.sendResponseHeaders(status, bytes.length);
    e.getResponseBody().write(bytes);
    e.close();
  }

  @Test
  void aLockedDatabaseIsRetriedForRepeatableRequestsOnly() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> calls = new ArrayList<>();
    server.createContext("/auth/token", e -> answer(e, 201, "{\"access_token\":\"t\"}"));
    server.createContext("/api/v2/dags", e -> {
      calls.add(e.getRequestMethod() + " " + e.getRequestURI().getPath());
      answer(e, 500, LOCKED);
    });
    server.createContext("/api/v2/pools", e -> {
      calls.add(e.getRequestMethod() + " " + e.getRequestURI().getPath());
      long patches = calls.stream().filter(c -> c.startsWith("PATCH")).count();
      if (e.getRequestMethod().equals("PATCH") && patches < 3) {
        answer(e, 500, LOCKED);
      } else if (e.getRequestMethod().equals("PATCH")) {
        answer(e, 200, "{\"name\":\"payable_ingest\",\"slots\":1,\"description\":\"d\"}");
      } else {
        answer(e, 500, LOCKED);
      }
    });
    server.start();
    try {
      AirflowClient client = new AirflowClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "u", "p");
      AirflowClient.Pool pool = client.ensurePool("payable_ingest", 1, "d");
      assertEquals(1, pool.slots());
      assertEquals(List.of("PATCH /api/v2/pools/payable_ingest", "PATCH /api/v2/pools/payable_ingest", "PATCH /api/v2/pools/payable_ingest"), calls);

      // Triggering a run is not repeated: the first attempt may have created it.
      calls.clear();
      assertThrows(AirflowError.class, () -> client.trigger("nightly", "run-1", java.time.Instant.parse("2026-11-30T00:00:00Z"), java.util.Map.of()));
      assertEquals(List.of("POST /api/v2/dags/nightly/dagRuns"), calls);
    } finally {
      server.stop(0);
    }
  }
}
