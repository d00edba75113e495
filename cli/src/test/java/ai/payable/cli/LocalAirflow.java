package ai.payable.cli;

import ai.payable.orchestration.AirflowClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A real Apache Airflow 3 for tests: {@code airflow standalone} from the project's {@code .venv}
 * on 127.0.0.1 with a free port, the project's {@code orchestration/dags}, no examples, DAGs
 * unpaused at creation, one known user and a fixed JWT secret.
 */
final class LocalAirflow implements AutoCloseable {

  static final String USER = "payable";
  static final String PASSWORD = "airflow-test-password";
  static final int TOKEN_SECONDS = 8;

  final URI url;
  final AirflowClient client;
  private final Process process;
  private final Path log;

  private LocalAirflow(URI url, Process process, Path log) {
    this.url = url;
    this.process = process;
    this.log = log;
    this.client = new AirflowClient(url, USER, PASSWORD);
  }

  /**
   * Starts Airflow and waits until {@code dags} are parsed.
   *
   * @param variables Airflow Variables (name → value), on top of the jar and driver classpath
   */
  static LocalAirflow start(Path repo, Path scratch, Set<String> dags, Map<String, String> variables) throws Exception {
    Path bin = repo.resolve(".venv/bin");
    if (!Files.isExecutable(bin.resolve("airflow"))) {
      throw new IllegalStateException("Airflow is not installed: run `make .venv/.installed` in " + repo + " (make test does)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path home = Files.createDirectories(scratch.resolve("airflow-" + port));
    Files.writeString(home.resolve("passwords.json"), "{\"" + USER + "\": \"" + PASSWORD + "\"}");
    // Its own process group (setsid), so closing can stop every process Airflow forks, detached ones included.
    ProcessBuilder pb = new ProcessBuilder("setsid", bin.resolve("airflow").toString(), "standalone").directory(home.toFile());
    Map<String, String> env = pb.environment();
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("AIRFLOW_HOME", home.toString());
    env.put("AIRFLOW__CORE__DAGS_FOLDER", repo.resolve("orchestration/dags").toString());
    env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
    env.put("AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION", "False");
    env.put("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", USER + ":admin");
    env.put("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", home.resolve("passwords.json").toString());
    env.put("AIRFLOW__API_AUTH__JWT_SECRET", "payable-test-jwt-secret-not-for-production");
    // Public API tokens expire after a few seconds, so the tests see the client sign in again.
    env.put("AIRFLOW__API_AUTH__JWT_EXPIRATION_TIME", String.valueOf(TOKEN_SECONDS));
    env.put("AIRFLOW__API_AUTH__JWT_LEEWAY", "0");
    env.put("AIRFLOW__API__HOST", "127.0.0.1");
    env.put("AIRFLOW__API__PORT", String.valueOf(port));
    env.put("AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "http://127.0.0.1:" + port + "/execution/");
    env.put("AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL", "5");
    // Tasks run the CLI through SparkSubmitOperator with the venv's spark-submit on a local master.
    // During `mvn verify` the packaged jar does not exist yet, so the application jar is an empty
    // placeholder and the driver classpath is this test JVM's (its classes and dependencies).
    env.put("SPARK_HOME", repo.resolve(".venv/lib/python3.11/site-packages/pyspark").toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("AIRFLOW_CONN_SPARK_DEFAULT", "{\"conn_type\": \"spark\", \"host\": \"local[2]\"}");
    env.put("AIRFLOW_VAR_PAYABLE_JAR", placeholderJar(scratch).toString());
    env.put("AIRFLOW_VAR_PAYABLE_DRIVER_CLASS_PATH", System.getProperty("java.class.path"));
    variables.forEach((name, value) -> env.put("AIRFLOW_VAR_" + name.toUpperCase(java.util.Locale.ROOT), value));
    Path log = home.resolve("standalone.log");
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LocalAirflow airflow = new LocalAirflow(URI.create("http://127.0.0.1:" + port), p, log);
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (true) {
      try {
        if (airflow.client.dags().stream().map(AirflowClient.Dag::dagId).toList().containsAll(dags)) {
          return airflow;
        }
      } catch (RuntimeException notYet) {
        // not up yet
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        airflow.close();
        throw new IllegalStateException("Airflow did not come up with DAGs " + dags + " on port " + port + "; see " + log);
      }
      Thread.sleep(1000);
    }
  }

  /** An empty jar: spark-submit insists on an application jar; the classes come from the driver classpath. */
  private static Path placeholderJar(Path scratch) throws IOException {
    Path jar = scratch.resolve("payable-placeholder.jar");
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.flush();
    }
    return jar;
  }

  /** The end of the server's log, for failure messages. */
  String logTail() throws IOException {
    var lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() {
    signalGroup("-TERM");
    try {
      process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    signalGroup("-KILL");
    process.destroyForcibly();
  }

  private void signalGroup(String signal) {
    try {
      new ProcessBuilder("kill", signal, "--", "-" + process.pid()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
          .waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
