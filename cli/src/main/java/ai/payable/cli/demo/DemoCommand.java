package ai.payable.cli.demo;

import ai.payable.cli.LakehouseOption;
import ai.payable.cli.PayableMain;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.rewards.chain.LocalAnvil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code payable demo}: the whole nightly path on sample data in one JVM, each step through the
 * same commands a data engineer runs. Two days: the second shows that a contributor claims only
 * the increase of their cumulative balance.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the product end to end on sample data: signed submissions are ingested, a teacher, a distilled student and one LoRA adapter per "
          + "DataNet are trained, a day of answers is logged with fees, attributed and paid through a Merkle root on a local anvil chain, "
          + "a contributor claims, the governance report is written; then a second day.",
      "Needs anvil from npm (make demo installs it) and $PAYABLE_KEYSTORE_PASSWORD for the demo keystore (bin/demo sets a demo value)."
    })
public final class DemoCommand implements Callable<Integer> {

  static final LocalDate DAY1 = LocalDate.parse("2026-11-23");
  static final LocalDate DAY2 = LocalDate.parse("2026-11-24");
  private static final String MARKER = ".payable-demo";
  private static final Pattern ASSIGNMENT = Pattern.compile("^(PAYABLE_[A-Z_]+)=(\\S+)$", Pattern.MULTILINE);

  @Mixin LakehouseOption lakehouse;

  @Option(names = "--work", defaultValue = "build/demo", paramLabel = "DIR", description = "Working directory (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR", description = "The repository, for node_modules/anvil (default: ${DEFAULT-VALUE}).")
  Path repo;

  @Option(names = "--specs", defaultValue = "training/specs", paramLabel = "DIR",
      description = "Training specs: teacher.yaml, student.yaml and adapter-*.yaml (default: ${DEFAULT-VALUE}).")
  Path specs;

  @Option(names = "--records", defaultValue = "3000", description = "Valid sample records (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(names = "--contributors", defaultValue = "12", description = "Sample contributors (default: ${DEFAULT-VALUE}).")
  int contributors;

  @Option(names = "--answers", defaultValue = "24", description = "Answers per DataNet and day (default: ${DEFAULT-VALUE}).")
  int answers;

  @Option(names = "--fresh", description = "Delete the demo's lakehouse and work directory first (only a lakehouse the demo made).")
  boolean fresh;

  private final List<String> summary = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    if (System.getenv("PAYABLE_KEYSTORE_PASSWORD") == null) {
      throw new IllegalArgumentException("set PAYABLE_KEYSTORE_PASSWORD: the demo writes the operator's key to a keystore with it (bin/demo sets one)");
    }
    PayableConfig config = lakehouse.config();
    Path lakehouseDir = Path.of(config.lakehouse());
    prepare(lakehouseDir);
    String lh = lakehouseDir.toString();

    step("1. Sign and ingest sample DataNets (" + records + " records from " + contributors + " contributors, with bad and copied lines)");
    Path sample = work.resolve("sample");
    payable("sample", "submissions", "--out", sample.toString(), "--records", String.valueOf(records), "--contributors", String.valueOf(contributors));
    payable("datanet", "register", "--lakehouse", lh, "--file", sample.resolve("datanets.yaml").toString());
    String ingested = payable("ingest", "submissions", "--lakehouse", lh, "--landing", sample.resolve("landing").toString());
    summary.add("ingested: " + firstMatch(ingested, "lines \\d+ = accepted \\d+ \\+ quarantined \\d+"));

    step("2. Train the teacher, the distilled student and one LoRA adapter per DataNet (CPU)");
    List<Path> adapters;
    try (Stream<Path> s = Files.list(specs)) {
      adapters = s.filter(p -> p.getFileName().toString().startsWith("adapter-")).sorted().toList();
    }
    Path models = work.resolve("models");
    for (Path spec : concat(List.of(specs.resolve("teacher.yaml"), specs.resolve("student.yaml")), adapters)) {
      payable("train", "--lakehouse", lh, "--spec", spec.toString(), "--models", models.toString());
    }
    Lakehouse open = lakehouse.open();
    Map<String, String> adapterOf = new LinkedHashMap<>(); // DataNet → adapter name
    for (Row r : open.spark().sql("SELECT name, datanets[0] FROM delta.`" + open.path(ai.payable.core.catalog.Tables.MODELS) + "` WHERE kind = 'adapter' ORDER BY name")
        .collectAsList()) {
      adapterOf.put(r.getString(1), r.getString(0));
    }
    summary.add("models: teacher, student, adapters " + String.join(", ", adapterOf.values()));

    step("3. The gateway answers two days of questions with the student and the adapters, logging each answer with its fee");
    // Both days are answered before any attribution runs in this JVM: attribution's PyTorch work in
    // Spark task threads leaves a native worker thread that halved later inference throughput
    // (measured: 10.1 s, then 18.9 s for the same 72 answers). In production the gateway is a
    // separate service anyway.
    Path logs = work.resolve("inference-logs");
    for (LocalDate day : List.of(DAY1, DAY2)) {
      Path prompts = DemoPrompts.write(open, work.resolve("prompts-" + day + ".jsonl"), adapterOf, answers, day.equals(DAY1) ? 1 : 2);
      payable("infer", "--lakehouse", lh, "--model", "student", "--adapters", String.join(",", adapterOf.values()), "--prompts", prompts.toString(),
          "--out", Files.createDirectories(logs.resolve(day.toString())).resolve("gateway-" + day + ".jsonl").toString(), "--start", day + "T06:00:00Z",
          "--spacing-seconds", "300");
    }

    // A demo treasury with no real key behind it in the project.
    String treasury = ai.payable.core.identity.Address.parse("0x" + org.web3j.crypto.Keys.getAddress(SampleSubmissions.demoKey(1000))).checksummed();
    try (LocalAnvil anvil = LocalAnvil.start(repo.toAbsolutePath(), Files.createDirectories(work.resolve("anvil")))) {
      step("4. Start a local chain (anvil) and deploy the token and the RewardsDistributor");
      Path keys = Files.createDirectories(work.resolve("keys"));
      Path operator = keys.resolve(WalletUtils.generateWalletFile(System.getenv("PAYABLE_KEYSTORE_PASSWORD"), anvil.accounts.get(0).getEcKeyPair(),
          keys.toFile(), false));
      List<String> chain = List.of("--rpc", anvil.url, "--chain-id", String.valueOf(anvil.chainId));
      String deployed = payable(args(List.of("rewards", "deploy"), chain, "--test-token", "--mint-to-sender", "1000000000000000000000000", "--timelock", "3600",
          "--keystore", operator.toString()));
      Matcher m = ASSIGNMENT.matcher(deployed);
      while (m.find()) {
        env.put(m.group(1), m.group(2));
      }
      List<String> onDistributor = args(chain, "--distributor", env.get("PAYABLE_DISTRIBUTOR"), "--from-block", env.get("PAYABLE_DISTRIBUTOR_BLOCK"));
      summary.add("chain " + anvil.chainId + " at " + anvil.url + ": distributor " + env.get("PAYABLE_DISTRIBUTOR") + ", token " + env.get("PAYABLE_TOKEN"));

      String claimant = null;
      for (LocalDate day : List.of(DAY1, DAY2)) {
        step((day.equals(DAY1) ? "5" : "7") + ". The nightly run for " + day + ": ingest the day's logs, attribute, build, propose, accept after the timelock, claim");
        payable("ingest", "inferences", "--lakehouse", lh, "--landing", logs.resolve(day.toString()).toString());
        String attributed = payable("attribute", "--lakehouse", lh, "--epoch", day.toString(), "--treasury", treasury);
        String built = payable("rewards", "build", "--lakehouse", lh, "--epoch", day.toString(), "--artifacts", work.resolve("distributions").toString());
        String root = firstMatch(built, "0x[0-9a-f]{64}");
        String proposed = payable(args(List.of("rewards", "propose", "--lakehouse", lh, "--epoch", day.toString(), "--top-up", "--keystore", operator.toString()),
            onDistributor));
        anvil.increaseTime(3600);
        String accepted = payable(args(List.of("rewards", "accept", "--lakehouse", lh, "--keystore", operator.toString()), onDistributor));
        if (claimant == null) {
          claimant = open.spark().sql("SELECT account FROM delta.`" + open.path(ai.payable.core.catalog.Tables.EPOCH_REWARDS) + "` WHERE role = 'data' AND epoch = DATE'"
              + day + "' ORDER BY amount_wei DESC, account LIMIT 1").head().getString(0);
        }
        String claimed = payable(args(List.of("claim", "--lakehouse", lh, "--account", claimant, "--send", "--keystore", operator.toString()), onDistributor));
        step((day.equals(DAY1) ? "6" : "8") + ". The governance report of " + day);
        String report = payable(args(List.of("report", "--lakehouse", lh, "--epoch", day.toString(), "--out", work.resolve("reports").toString()), onDistributor));
        summary.add(day + ": " + firstMatch(attributed, "\\d+ answers[^\\n]*") + "; root " + root);
        summary.add("  proposed in tx " + firstMatch(proposed, "0x[0-9a-f]{64}(?=\\s*$)|(?<=in tx )0x[0-9a-f]{64}") + ", accepted in tx "
            + firstMatch(accepted, "(?<=in tx )0x[0-9a-f]{64}"));
        summary.add("  " + claimant + " claimed: " + firstMatch(claimed, "(?<=: )\\d+ wei received") + " (cumulative " + firstMatch(claimed, "(?<=cumulative    )\\d+ wei")
            + ")");
        summary.add("  report: " + firstMatch(report, "(?<=report: )\\S+") + " (" + firstMatch(report, "\\d+ anomal\\S+") + " to review)");
      }
    }
    step("Summary");
    summary.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "demo finished in %.0f s; lakehouse %s (explore with `bin/payable sql --lakehouse %s`, or the notebooks in notebooks/)%n",
        (System.nanoTime() - started) / 1e9, lh, lh);
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

  private static void step(String title) {
    System.out.printf("%n\033[1m== %s\033[0m%n", title);
  }

  /** Runs {@code payable args} in this JVM, echoing its output, and returns what it printed; a failing step ends the demo. */
  private static String payable(String... args) {
    return payable(List.of(args));
  }

  private static String payable(List<String> args) {
    System.out.println("$ payable " + String.join(" ", args));
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
    long started = System.nanoTime();
    int code;
    try {
      code = PayableMain.commandLine().execute(args.toArray(String[]::new));
    } finally {
      System.out.flush();
      System.setOut(console);
    }
    System.out.printf(Locale.ROOT, "  (%.1f s)%n", (System.nanoTime() - started) / 1e9);
    if (code != 0) {
      throw new IllegalStateException("demo step failed (exit " + code + "): payable " + String.join(" ", args));
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static List<String> args(List<String> first, Object... rest) {
    List<String> out = new ArrayList<>(first);
    for (Object r : rest) {
      if (r instanceof List<?> list) {
        list.forEach(x -> out.add(String.valueOf(x)));
      } else {
        out.add(String.valueOf(r));
      }
    }
    return out;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String firstMatch(String text, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
    return m.find() ? m.group() : "?";
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
