package ai.payable.orchestration;

import ai.payable.core.retry.RetryPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A small client for Airflow 3's public REST API (v2): a JWT from {@code POST /auth/token},
 * fetched again once when a call answers 401; DAGs, runs, task instances, logs, clearing and
 * backfills. Errors are {@link AirflowError}s by kind, carrying the server's message.
 */
public final class AirflowClient {

  /** A DAG as the API lists it. */
  public record Dag(String dagId, boolean paused, String schedule, List<String> tags, boolean importErrors) {}

  /**
   * A DAG run.
   *
   * @param dataIntervalStart the start of the period the run covers (for the nightly run, its epoch)
   */
  public record DagRun(String dagId, String runId, String runType, String state, String logicalDate, String dataIntervalStart, JsonNode conf) {
    /** Whether the run has ended. */
    public boolean finished() {
      return "success".equals(state) || "failed".equals(state);
    }
  }

  /** A task instance of a run. */
  public record TaskInstance(String taskId, String state, int tryNumber) {}

  /** A backfill. */
  public record Backfill(long id, String dagId, String from, String to, String completedAt) {
    /** Whether every run of the backfill has been created and has ended. */
    public boolean finished() {
      return completedAt != null;
    }
  }

  /** A pool: how many task instances of the tasks assigned to it may run at once. */
  public record Pool(String name, int slots, String description) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Retries of a call answered "busy" (see {@link #busy}): 14, backing off from 1 s to 12 s, so
   * 67-135 s in all, never less than the fixed 63 s this client waited before jitter; the
   * scheduler's first parse of the DAGs can hold a SQLite metadata database longer than a 31 s
   * backoff waited, and a first run of a fresh install (CI) once outlasted 47 s.
   */
  static final RetryPolicy BUSY = new RetryPolicy(15, Duration.ofSeconds(1), Duration.ofSeconds(12));

  private final URI base;
  private final String username;
  private final String password;
  // HTTP/1.1: the API server (uvicorn) answers the h2c upgrade Java attempts by default with a 500.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private String token;

  public AirflowClient(URI base, String username, String password) {
    this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
    this.username = username;
    this.password = password;
  }

  /** Every DAG. */
  public List<Dag> dags() {
    List<Dag> out = new ArrayList<>();
    for (JsonNode d : call("GET", "api/v2/dags?limit=1000", null, "listing DAGs").path("dags")) {
      List<String> tags = new ArrayList<>();
      d.path("tags").forEach(t -> tags.add(t.path("name").asText()));
      out.add(new Dag(d.path("dag_id").asText(), d.path("is_paused").asBoolean(), d.path("timetable_summary").asText(null), tags,
          d.path("has_import_errors").asBoolean()));
    }
    return out;
  }

  /** Import errors of the DAG folder, file → message. */
  public Map<String, String> importErrors() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (JsonNode e : call("GET", "api/v2/importErrors?limit=1000", null, "listing import errors").path("import_errors")) {
      out.put(e.path("filename").asText(), e.path("stack_trace").asText());
    }
    return out;
  }

  /** The task ids of a DAG with their retries. */
  public Map<String, Integer> tasks(String dagId) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (JsonNode t : call("GET", "api/v2/dags/" + path(dagId) + "/tasks", null, "listing tasks of " + dagId).path("tasks")) {
      out.put(t.path("task_id").asText(), t.path("retries").asInt());
    }
    return out;
  }

  /** Pauses or unpauses a DAG. */
  public Dag setPaused(String dagId, boolean paused) {
    ObjectNode body = JSON.createObjectNode().put("is_paused", paused);
    JsonNode d = call("PATCH", "api/v2/dags/" + path(dagId), body, (paused ? "pausing " : "unpausing ") + dagId);
    return new Dag(d.path("dag_id").asText(), d.path("is_paused").asBoolean(), d.path("timetable_summary").asText(null), List.of(), false);
  }

  /**
   * Triggers a run with an explicit run id, logical date and conf. Triggering an existing run id
   * again is not an error: the existing run is returned ("already triggered").
   */
  public DagRun trigger(String dagId, String runId, Instant logicalDate, Map<String, ?> conf) {
    ObjectNode body = JSON.createObjectNode();
    body.put("dag_run_id", runId);
    body.put("logical_date", logicalDate.toString());
    body.set("conf", JSON.valueToTree(conf));
    try {
      return run(call("POST", "api/v2/dags/" + path(dagId) + "/dagRuns", body, "triggering " + dagId, true));
    } catch (AirflowError.Conflict alreadyThere) {
      return run(dagId, runId);
    }
  }

  /** A run's current state. */
  public DagRun run(String dagId, String runId) {
    return run(call("GET", "api/v2/dags/" + path(dagId) + "/dagRuns/" + path(runId), null, "reading run " + runId + " of " + dagId));
  }

  /** Polls a run until it ends or {@code timeout} passes. */
  public DagRun waitFor(String dagId, String runId, Duration poll, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      DagRun r = run(dagId, runId);
      if (r.finished()) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new AirflowError.Server(0, "run " + runId + " of " + dagId + " is still " + r.state() + " after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /** The task instances of a run. */
  public List<TaskInstance> taskInstances(String dagId, String runId) {
    List<TaskInstance> out = new ArrayList<>();
    for (JsonNode t : call("GET", "api/v2/dags/" + path(dagId) + "/dagRuns/" + path(runId) + "/taskInstances", null, "listing tasks of run " + runId)
        .path("task_instances")) {
      out.add(new TaskInstance(t.path("task_id").asText(), t.path("state").asText(null), t.path("try_number").asInt()));
    }
    return out;
  }

  /** The log of one try of a task, as text lines. */
  public String log(String dagId, String runId, String taskId, int tryNumber) {
    JsonNode log = call("GET", "api/v2/dags/" + path(dagId) + "/dagRuns/" + path(runId) + "/taskInstances/" + path(taskId) + "/logs/" + tryNumber
        + "?full_content=true", null, "reading the log of " + taskId);
    StringBuilder text = new StringBuilder();
    JsonNode content = log.path("content");
    if (content.isArray()) {
      for (JsonNode line : content) {
        text.append(line.isTextual() ? line.asText() : line.path("event").asText()).append('\n');
      }
    } else {
      text.append(content.asText());
    }
    return text.toString();
  }

  /**
   * Clears the failed (or all) task instances of a run so the scheduler runs them again. A clear
   * names nothing it creates, so a locked database's "Database error" is repeated only while the
   * run's task instances are as they were before the first attempt: that attempt did not commit.
   */
  public List<TaskInstance> clear(String dagId, String runId, boolean onlyFailed) {
    ObjectNode body = JSON.createObjectNode();
    body.put("dry_run", false);
    body.put("dag_run_id", runId);
    body.put("only_failed", onlyFailed);
    body.put("reset_dag_runs", true);
    List<TaskInstance> before = taskInstances(dagId, runId);
    List<TaskInstance> out = new ArrayList<>();
    for (JsonNode t : call("POST", "api/v2/dags/" + path(dagId) + "/clearTaskInstances", body, "clearing run " + runId,
        () -> taskInstances(dagId, runId).equals(before)).path("task_instances")) {
      out.add(new TaskInstance(t.path("task_id").asText(), t.path("state").asText(null), t.path("try_number").asInt()));
    }
    return out;
  }

  /** Creates a backfill of {@code dagId} over [from, to]. */
  public Backfill backfill(String dagId, LocalDate from, LocalDate to, Map<String, ?> conf) {
    ObjectNode body = JSON.createObjectNode();
    body.put("dag_id", dagId);
    body.put("from_date", from + "T00:00:00Z");
    body.put("to_date", to + "T00:00:00Z");
    body.put("run_backwards", false);
    body.set("dag_run_conf", JSON.valueToTree(conf));
    body.put("reprocess_behavior", "none");
    body.put("max_active_runs", 1);
    return backfill(call("POST", "api/v2/backfills", body, "backfilling " + dagId));
  }

  /** A backfill's current state. */
  public Backfill backfill(long id) {
    return backfill(call("GET", "api/v2/backfills/" + id, null, "reading backfill " + id));
  }

  /** Polls a backfill until all its runs have ended, then returns those runs. */
  public List<DagRun> waitForBackfill(Backfill backfill, Duration poll, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!backfill(backfill.id()).finished()) {
      if (System.nanoTime() > deadline) {
        throw new AirflowError.Server(0, "backfill " + backfill.id() + " of " + backfill.dagId() + " is still running after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(poll.toMillis());
    }
    // Filtered by the server and read page by page: an hourly DAG backfilled for a week has 168 runs.
    return listRuns(backfill.dagId(), "run_type=backfill&logical_date_gte=" + query(backfill.from()) + "&logical_date_lte=" + query(backfill.to())
        + "&order_by=logical_date", true);
  }

  private static String query(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Backfill backfill(JsonNode b) {
    return new Backfill(b.path("id").asLong(), b.path("dag_id").asText(), b.path("from_date").asText(), b.path("to_date").asText(),
        b.path("completed_at").isNull() ? null : b.path("completed_at").asText(null));
  }

  /**
   * Creates or resizes a pool. Our ingest tasks share the {@code payable_ingest} pool of one slot,
   * because ingestion assumes a single writer per lakehouse.
   */
  public Pool ensurePool(String name, int slots, String description) {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("slots", slots).put("description", description);
    ObjectNode patch = JSON.createObjectNode().put("pool", name).put("slots", slots).put("description", description);
    JsonNode p;
    try {
      p = call("PATCH", "api/v2/pools/" + path(name), patch, "updating pool " + name);
    } catch (AirflowError.NotFound missing) {
      try {
        p = call("POST", "api/v2/pools", body, "creating pool " + name, true);
      } catch (AirflowError.Conflict createdMeanwhile) {
        p = call("PATCH", "api/v2/pools/" + path(name), patch, "updating pool " + name);
      } catch (AirflowError.Server failed) {
        // An insert that went through before the database answered "locked", repeated, fails as a duplicate with
        // the same 500 "Database error": whether the pool now exists decides.
        try {
          p = call("PATCH", "api/v2/pools/" + path(name), patch, "updating pool " + name);
        } catch (AirflowError.NotFound stillMissing) {
          throw failed;
        }
      }
    }
    return new Pool(p.path("name").asText(), p.path("slots").asInt(), p.path("description").asText(null));
  }

  /** The 100 newest runs of a DAG, newest first. */
  public List<DagRun> runs(String dagId) {
    return listRuns(dagId, "order_by=-logical_date", false);
  }

  /** Runs matching {@code query}: the first page of 100, or every page. */
  private List<DagRun> listRuns(String dagId, String query, boolean allPages) {
    List<DagRun> out = new ArrayList<>();
    while (true) {
      JsonNode page = call("GET", "api/v2/dags/" + path(dagId) + "/dagRuns?" + query + "&limit=100&offset=" + out.size(), null, "listing runs of " + dagId);
      page.path("dag_runs").forEach(r -> out.add(run(r)));
      if (!allPages || page.path("dag_runs").isEmpty() || out.size() >= page.path("total_entries").asLong()) {
        return out;
      }
    }
  }

  private static DagRun run(JsonNode r) {
    return new DagRun(r.path("dag_id").asText(), r.path("dag_run_id").asText(), r.path("run_type").asText(null), r.path("state").asText(null),
        r.path("logical_date").asText(null), r.path("data_interval_start").asText(null), r.path("conf"));
  }

  private JsonNode call(String method, String path, JsonNode body, String what) {
    return call(method, path, body, what, !"POST".equals(method));
  }

  /**
   * Sends one request. {@code repeatable}: sending it again cannot do anything twice. Reads and
   * updates are; a POST is when it names what it creates (a pool's name, a run's id), because a
   * repeat of an attempt that did commit is answered 409, which its caller handles.
   */
  private JsonNode call(String method, String path, JsonNode body, String what, boolean repeatable) {
    return call(method, path, body, what, () -> repeatable);
  }

  /**
   * Sends one request; a busy answer is repeated while {@code safeToRepeat} says that sending it
   * again cannot do anything twice (asked only when the database was busy).
   */
  private JsonNode call(String method, String path, JsonNode body, String what, BooleanSupplier safeToRepeat) {
    if (token == null) {
      token = fetchToken();
    }
    HttpResponse<String> response = send(method, path, body, what);
    if (response.statusCode() == 401) {
      token = fetchToken(); // expired or rotated: one fresh token, one retry
      response = send(method, path, body, what);
    }
    // 429/503 mean "not now" (e.g. a busy metadata database): retried as BUSY says, honouring Retry-After.
    for (int failures = 1; BUSY.allowsRetryAfter(failures) && busy(safeToRepeat, response); failures++) {
      try {
        RetryPolicy.sleep(BUSY.wait(failures, response.headers().firstValue("Retry-After").orElse(null)));
      } catch (InterruptedException e) {
        throw new AirflowError.Server(0, what + ": interrupted");
      }
      response = send(method, path, body, what);
    }
    if (response.statusCode() / 100 != 2) {
      throw AirflowError.of(response.statusCode(), what, detail(response.body()));
    }
    try {
      return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AirflowError.Server(response.statusCode(), what + ": not JSON: " + response.body());
    }
  }

  /**
   * Whether {@code response} says "not now": 429 or 503, or, for a repeatable request, a 500 whose
   * reason is "Database error", which is how Airflow's API server answers when its metadata
   * database is locked by the scheduler (SQLite, seen in our tests).
   */
  static boolean busy(BooleanSupplier safeToRepeat, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status == 429 || status == 503) {
      return true;
    }
    if (status != 500) {
      return false;
    }
    try {
      // FastAPI wraps the reason in "detail": {"detail": {"reason": "Database error", …}}.
      JsonNode body = JSON.readTree(response.body());
      String reason = body.path("detail").path("reason").asText(body.path("reason").asText());
      return "Database error".equals(reason) && safeToRepeat.getAsBoolean();
    } catch (IOException e) {
      return false;
    }
  }

  private HttpResponse<String> send(String method, String path, JsonNode body, String what) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    if (body != null) {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return exchange(request.build(), what);
  }

  private String fetchToken() {
    ObjectNode credentials = JSON.createObjectNode().put("username", username).put("password", password);
    HttpResponse<String> response = exchange(HttpRequest.newBuilder(base.resolve("auth/token")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(credentials.toString())).build(), "signing in");
    if (response.statusCode() / 100 != 2) {
      throw AirflowError.of(response.statusCode(), "signing in to " + base + " as " + username, detail(response.body()));
    }
    try {
      return JSON.readTree(response.body()).path("access_token").asText();
    } catch (IOException e) {
      throw new AirflowError.Server(response.statusCode(), "signing in: no token in " + response.body());
    }
  }

  private HttpResponse<String> exchange(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AirflowError.Server(0, what + ": cannot reach Airflow at " + base + " (" + e.getMessage() + "); check --url and that the API server is up");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AirflowError.Server(0, what + ": interrupted");
    }
  }

  /** The server's own message: FastAPI's {@code detail}, as text or the validation list. */
  private static String detail(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      JsonNode detail = json.path("detail");
      return detail.isMissingNode() ? body : detail.isTextual() ? detail.asText() : detail.toString();
    } catch (IOException | RuntimeException e) {
      return body;
    }
  }

  private static String path(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
