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

  /** What Airflow 3.3's API server answers, the reason wrapped in FastAPI's "detail". */
  private static final String LOCKED = "{\"detail\":{\"reason\":\"Database error\",\"statement\":\"hidden\",\"orig_error\":\"hidden\","
      + "\"message\":\"Serious error when handling your request. Check logs for more details - you will find it in api server when you look for ID x\"}}";

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
    boolean[] committedOnFirstAttempt = {false};
    server.createContext("/auth/token", e -> answer(e, 201, "{\"access_token\":\"t\"}"));
    server.createContext("/api/v2/dags", e -> {
      calls.add(e.getRequestMethod() + " " + e.getRequestURI().getPath());
      long triggers = calls.stream().filter(c -> c.startsWith("POST") && c.endsWith("/dagRuns")).count();
      long clears = calls.stream().filter(c -> c.endsWith("/clearTaskInstances")).count();
      if (e.getRequestURI().getPath().endsWith("/taskInstances")) {
        // The run's one task: failed until a clear commits; in the second scenario the first locked clear did commit.
        boolean cleared = committedOnFirstAttempt[0] ? clears >= 1 : clears >= 3;
        answer(e, 200, "{\"task_instances\":[{\"task_id\":\"t\",\"state\":" + (cleared ? "null" : "\"failed\"") + ",\"try_number\":1}]}");
      } else if (e.getRequestURI().getPath().endsWith("/clearTaskInstances")) {
        answer(e, clears < 3 ? 500 : 200, clears < 3 ? LOCKED : "{\"task_instances\":[{\"task_id\":\"t\",\"state\":null,\"try_number\":1}]}");
      } else if (e.getRequestMethod().equals("POST") && e.getRequestURI().getPath().endsWith("/dagRuns")) {
        // the first attempt committed but its answer was lost to a lock; the repeat finds the run
        answer(e, triggers < 2 ? 500 : 409, triggers < 2 ? LOCKED : "{\"detail\":\"exists\"}");
      } else if (e.getRequestMethod().equals("GET")) {
        answer(e, 200, "{\"dag_id\":\"nightly\",\"dag_run_id\":\"run-1\",\"state\":\"queued\"}");
      } else {
        answer(e, 500, LOCKED);
      }
    });
    server.createContext("/api/v2/pools", e -> {
      calls.add(e.getRequestMethod() + " " + e.getRequestURI().getPath());
      long posts = calls.stream().filter(c -> c.startsWith("POST")).count();
      long patches = calls.stream().filter(c -> c.startsWith("PATCH")).count();
      if (e.getRequestMethod().equals("PATCH") && patches < 3) {
        answer(e, 500, LOCKED);
      } else if (e.getRequestMethod().equals("PATCH") && patches == 3) {
        answer(e, 404, "{\"detail\":\"no pool\"}");
      } else if (posts < 3) {
        answer(e, 500, LOCKED);
      } else {
        answer(e, 201, "{\"name\":\"payable_ingest\",\"slots\":1,\"description\":\"d\"}");
      }
    });
    server.start();
    try {
      AirflowClient client = new AirflowClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "u", "p");
      AirflowClient.Pool pool = client.ensurePool("payable_ingest", 1, "d");
      assertEquals(1, pool.slots());
      String patch = "PATCH /api/v2/pools/payable_ingest";
      String post = "POST /api/v2/pools";
      assertEquals(List.of(patch, patch, patch, post, post, post), calls, "a pool is created by name: repeating the POST is safe");

      calls.clear();
      AirflowClient.DagRun run = client.trigger("nightly", "run-1", java.time.Instant.parse("2026-11-30T00:00:00Z"), java.util.Map.of());
      assertEquals("run-1", run.runId());
      assertEquals(List.of("POST /api/v2/dags/nightly/dagRuns", "POST /api/v2/dags/nightly/dagRuns", "GET /api/v2/dags/nightly/dagRuns/run-1"), calls,
          "a run is triggered by id: the repeat is answered 409 and the existing run is read");

      // Clearing names nothing it creates: it is repeated only while the run's task instances show
      // that no attempt committed.
      calls.clear();
      String tasks = "GET /api/v2/dags/nightly/dagRuns/run-1/taskInstances";
      String clear = "POST /api/v2/dags/nightly/clearTaskInstances";
      assertEquals(List.of("t"), client.clear("nightly", "run-1", true).stream().map(AirflowClient.TaskInstance::taskId).toList());
      assertEquals(List.of(tasks, clear, tasks, clear, tasks, clear), calls, "two locked attempts changed nothing: repeated");

      calls.clear();
      committedOnFirstAttempt[0] = true;
      assertThrows(AirflowError.class, () -> client.clear("nightly", "run-1", true));
      assertEquals(List.of(tasks, clear, tasks), calls, "the locked attempt did clear the task: not repeated");
    } finally {
      server.stop(0);
    }
  }
}
