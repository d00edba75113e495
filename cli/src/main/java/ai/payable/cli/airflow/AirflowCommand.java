package ai.payable.cli.airflow;

import ai.payable.orchestration.AirflowClient;
import ai.payable.orchestration.AirflowError;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code payable airflow …}: drive the Airflow deployment over its REST API. */
@Command(
    name = "airflow",
    mixinStandardHelpOptions = true,
    description = {"Drives Airflow 3 over its REST API (v2): list DAGs, trigger and follow runs, read task logs, clear and backfill.",
      "", "Credentials come from $AIRFLOW_USERNAME and $AIRFLOW_PASSWORD; the URL from --url or $AIRFLOW_URL."},
    subcommands = {AirflowCommand.Dags.class, AirflowCommand.Pause.class, AirflowCommand.Unpause.class, AirflowCommand.Trigger.class,
      AirflowCommand.Status.class, AirflowCommand.Wait.class, AirflowCommand.Logs.class, AirflowCommand.Clear.class, AirflowCommand.Backfill.class,
      AirflowCommand.Pool.class})
public final class AirflowCommand {

  /** Where Airflow is and who we are. */
  public static final class Connection {
    @Option(names = "--url", defaultValue = "${env:AIRFLOW_URL:-http://127.0.0.1:8080}", paramLabel = "URL",
        description = "Airflow API server (default: $AIRFLOW_URL or ${DEFAULT-VALUE}).")
    String url;

    AirflowClient client() {
      String user = System.getenv("AIRFLOW_USERNAME");
      String password = System.getenv("AIRFLOW_PASSWORD");
      if (user == null || password == null) {
        throw new IllegalArgumentException("set AIRFLOW_USERNAME and AIRFLOW_PASSWORD to sign in to " + url);
      }
      return new AirflowClient(URI.create(url), user, password);
    }
  }

  abstract static class Base implements Callable<Integer> {
    @Mixin Connection connection;

    @Override
    public final Integer call() throws Exception {
      try {
        return run(connection.client());
      } catch (AirflowError e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    abstract int run(AirflowClient airflow) throws Exception;
  }

  @Command(name = "dags", mixinStandardHelpOptions = true, description = "Lists the DAGs with their schedule and state, and any import errors.")
  static final class Dags extends Base {
    @Override
    int run(AirflowClient airflow) {
      for (AirflowClient.Dag d : airflow.dags()) {
        System.out.printf("%-24s %-10s %-8s %s%n", d.dagId(), d.schedule() == null ? "-" : d.schedule(), d.paused() ? "paused" : "active", String.join(",", d.tags()));
      }
      Map<String, String> errors = airflow.importErrors();
      errors.forEach((file, trace) -> System.out.println("import error in " + file + ": " + trace.lines().reduce((a, b) -> b).orElse("")));
      return errors.isEmpty() ? 0 : 1;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses a DAG.")
  static final class Pause extends Base {
    @Parameters(paramLabel = "DAG") String dag;

    @Override
    int run(AirflowClient airflow) {
      airflow.setPaused(dag, true);
      System.out.println(dag + " paused");
      return 0;
    }
  }

  @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Unpauses a DAG.")
  static final class Unpause extends Base {
    @Parameters(paramLabel = "DAG") String dag;

    @Override
    int run(AirflowClient airflow) {
      airflow.setPaused(dag, false);
      System.out.println(dag + " unpaused");
      return 0;
    }
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true,
      description = {"Triggers a run with an explicit run id, logical date and conf; triggering an existing run id again returns that run.",
        "With --wait, follows the run and exits non-zero if it fails, printing the failed tasks and the end of their logs."})
  static final class Trigger extends Base {
    @Parameters(paramLabel = "DAG") String dag;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default: manual__<logical date>).") String runId;

    @Option(names = "--logical-date", paramLabel = "INSTANT", description = "Logical date, e.g. 2026-11-23T00:00:00Z (default: now).") Instant logicalDate;

    @Option(names = "--conf", defaultValue = "{}", paramLabel = "JSON", description = "Run conf as a JSON object (default: ${DEFAULT-VALUE}).") String conf;

    @Option(names = "--wait", description = "Wait for the run to end.") boolean wait;

    @Option(names = "--timeout", defaultValue = "PT1H", paramLabel = "DURATION", description = "How long --wait waits (default: ${DEFAULT-VALUE}).") Duration timeout;

    @Override
    int run(AirflowClient airflow) throws Exception {
      Instant when = logicalDate == null ? Instant.now() : logicalDate;
      String id = runId == null ? "manual__" + when : runId;
      AirflowClient.DagRun r = airflow.trigger(dag, id, when, jsonObject(conf));
      System.out.println("run " + r.runId() + " of " + dag + ": " + r.state());
      return wait ? follow(airflow, dag, r.runId(), timeout) : 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a run's state and its tasks.")
  static final class Status extends Base {
    @Parameters(index = "0", paramLabel = "DAG") String dag;

    @Parameters(index = "1", paramLabel = "RUN") String run;

    @Override
    int run(AirflowClient airflow) {
      AirflowClient.DagRun r = airflow.run(dag, run);
      System.out.println("run " + r.runId() + " of " + dag + ": " + r.state());
      airflow.taskInstances(dag, run).forEach(t -> System.out.printf("  %-24s %-10s try %d%n", t.taskId(), t.state(), t.tryNumber()));
      return 0;
    }
  }

  @Command(name = "wait", mixinStandardHelpOptions = true, description = "Waits for a run to end; exits non-zero if it failed.")
  static final class Wait extends Base {
    @Parameters(index = "0", paramLabel = "DAG") String dag;

    @Parameters(index = "1", paramLabel = "RUN") String run;

    @Option(names = "--timeout", defaultValue = "PT1H", paramLabel = "DURATION", description = "How long to wait (default: ${DEFAULT-VALUE}).") Duration timeout;

    @Override
    int run(AirflowClient airflow) throws Exception {
      return follow(airflow, dag, run, timeout);
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints a task's log (latest try by default).")
  static final class Logs extends Base {
    @Parameters(index = "0", paramLabel = "DAG") String dag;

    @Parameters(index = "1", paramLabel = "RUN") String run;

    @Parameters(index = "2", paramLabel = "TASK") String task;

    @Option(names = "--try", paramLabel = "N", description = "Try number (default: the latest).") Integer tryNumber;

    @Override
    int run(AirflowClient airflow) {
      int n = tryNumber != null ? tryNumber : airflow.taskInstances(dag, run).stream().filter(t -> t.taskId().equals(task)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("run " + run + " of " + dag + " has no task " + task)).tryNumber();
      System.out.print(airflow.log(dag, run, task, Math.max(1, n)));
      return 0;
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true, description = "Clears a run's failed tasks (or all with --all) so they run again.")
  static final class Clear extends Base {
    @Parameters(index = "0", paramLabel = "DAG") String dag;

    @Parameters(index = "1", paramLabel = "RUN") String run;

    @Option(names = "--all", description = "Clear every task, not only the failed ones.") boolean all;

    @Override
    int run(AirflowClient airflow) {
      List<AirflowClient.TaskInstance> cleared = airflow.clear(dag, run, !all);
      System.out.println("cleared " + cleared.size() + " task(s) of run " + run);
      return 0;
    }
  }

  @Command(name = "backfill", mixinStandardHelpOptions = true, description = "Creates a backfill of a DAG over [--from, --to] (UTC days).")
  static final class Backfill extends Base {
    @Parameters(paramLabel = "DAG") String dag;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First day.") LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last day.") LocalDate to;

    @Option(names = "--conf", defaultValue = "{}", paramLabel = "JSON", description = "Conf of every run, as a JSON object (default: ${DEFAULT-VALUE}).") String conf;

    @Option(names = "--wait", description = "Wait until every run of the backfill has ended; exits non-zero if one failed.") boolean wait;

    @Option(names = "--timeout", defaultValue = "PT6H", paramLabel = "DURATION", description = "How long --wait waits (default: ${DEFAULT-VALUE}).") Duration timeout;

    @Override
    int run(AirflowClient airflow) throws InterruptedException {
      AirflowClient.Backfill b = airflow.backfill(dag, from, to, jsonObject(conf));
      System.out.println("backfill " + b.id() + " of " + dag + " from " + b.from() + " to " + b.to());
      if (!wait) {
        return 0;
      }
      List<AirflowClient.DagRun> runs = airflow.waitForBackfill(b, Duration.ofSeconds(5), timeout);
      runs.forEach(r -> System.out.println("run " + r.runId() + ": " + r.state()));
      long failed = runs.stream().filter(r -> !"success".equals(r.state())).count();
      System.out.println("backfill " + b.id() + " ended: " + (runs.size() - failed) + " of " + runs.size() + " run(s) succeeded");
      for (AirflowClient.DagRun r : runs) {
        if (!"success".equals(r.state())) {
          printFailedTasks(airflow, dag, r.runId());
        }
      }
      return failed == 0 ? 0 : 1;
    }
  }

  @Command(name = "pool", mixinStandardHelpOptions = true,
      description = {"Creates or resizes a pool.", "The ingest tasks need `payable_ingest` with 1 slot: ingestion allows one writer per lakehouse."})
  static final class Pool extends Base {
    @Parameters(paramLabel = "NAME") String name;

    @Option(names = "--slots", required = true, description = "How many tasks of the pool may run at once.") int slots;

    @Option(names = "--description", defaultValue = "", description = "What the pool is for.") String description;

    @Override
    int run(AirflowClient airflow) {
      AirflowClient.Pool p = airflow.ensurePool(name, slots, description);
      System.out.println("pool " + p.name() + ": " + p.slots() + " slot(s)");
      return 0;
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, ?> jsonObject(String conf) {
    try {
      return new ObjectMapper().readValue(conf, Map.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("--conf is not a JSON object: " + conf);
    }
  }

  static int follow(AirflowClient airflow, String dag, String run, Duration timeout) throws InterruptedException {
    AirflowClient.DagRun r = airflow.waitFor(dag, run, Duration.ofSeconds(2), timeout);
    System.out.println("run " + r.runId() + " of " + dag + " ended: " + r.state());
    if ("success".equals(r.state())) {
      return 0;
    }
    printFailedTasks(airflow, dag, run);
    return 1;
  }

  /** Prints a run's unsuccessful tasks with the end of their logs. */
  static void printFailedTasks(AirflowClient airflow, String dag, String run) {
    for (AirflowClient.TaskInstance t : airflow.taskInstances(dag, run)) {
      if (!"success".equals(t.state()) && !"skipped".equals(t.state())) {
        System.out.println("task " + t.taskId() + ": " + t.state());
        List<String> lines = airflow.log(dag, run, t.taskId(), Math.max(1, t.tryNumber())).lines().toList();
        lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> System.out.println("  | " + l));
      }
    }
  }
}
