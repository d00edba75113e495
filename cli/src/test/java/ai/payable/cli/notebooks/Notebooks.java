package ai.payable.cli.notebooks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs notebooks the way {@code notebooks/run} does (its {@code execute.py}, the JJava kernel), with
 * this test JVM's classpath in the kernel, so the tests execute exactly what researchers run.
 */
public final class Notebooks {

  /** The repository root (tests run in a module folder). */
  public static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  /** How a run ended: the runner's exit code and everything it printed. */
  public record Run(int exitCode, String output) {}

  private Notebooks() {}

  /** Executes {@code notebooks} against {@code lakehouse}, writing the executed copies to {@code outDir}. */
  public static Run execute(List<Path> notebooks, Path lakehouse, Path outDir) throws IOException, InterruptedException {
    Path python = REPO.resolve(".venv-notebooks/bin/python");
    assertTrue(Files.isExecutable(python), "Jupyter is not installed: run `make .venv-notebooks/.installed` (make test does)");
    List<String> command = new ArrayList<>(List.of(python.toString(), REPO.resolve("notebooks/execute.py").toString(), "--out", outDir.toString()));
    notebooks.forEach(n -> command.add(n.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("PAYABLE_LAKEHOUSE", lakehouse.toString());
    env.put("JJAVA_CLASSPATH", System.getProperty("java.class.path"));
    env.put("JJAVA_JVM_OPTS", "-Xmx2g " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
        .toList()));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    Path log = Files.createDirectories(outDir).resolve("run.log");
    Process p = pb.redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(30, TimeUnit.MINUTES), "the notebooks did not finish in 30 minutes");
    return new Run(p.exitValue(), Files.readString(log));
  }
}
