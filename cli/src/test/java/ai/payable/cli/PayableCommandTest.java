package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code payable} command as a user runs it, in-process against a test lakehouse. */
class PayableCommandTest extends SparkTestBase {

  private static final String KEYSTORE_PASSWORD = Cli.KEYSTORE_PASSWORD;

  private static Cli.Run run(String... args) {
    return Cli.run(args);
  }

  @Test
  void everyCommandHasHelp() {
    Deque<CommandLine> todo = new ArrayDeque<>();
    todo.add(PayableMain.commandLine());
    int checked = 0;
    while (!todo.isEmpty()) {
      CommandLine c = todo.poll();
      if (c.getCommandName().equals("help")) {
        continue;
      }
      String usage = c.getUsageMessage();
      assertTrue(usage.startsWith("Usage: "), c.getCommandName());
      assertTrue(c.getCommandSpec().usageMessage().description().length > 0,
          "no description for " + c.getCommandName());
      todo.addAll(c.getSubcommands().values());
      checked++;
    }
    assertTrue(checked >= 10, "commands checked: " + checked);
  }

  @Test
  void registerIngestAndQueryFromTheCommandLine() throws Exception {
    String lh = lakehouse.root().toString();
    String sample = scratch.resolve("sample").toString();
    assertEquals(0, run("sample", "submissions", "--out", sample, "--records", "60", "--contributors", "3", "--problem-share", "0.2").code());
    Cli.Run register = run("datanet", "register", "--lakehouse", lh, "--file", sample + "/datanets.yaml");
    assertEquals(0, register.code(), register.err());
    assertEquals("registered 3 DataNet(s): dermatology, contracts, agronomy\n", register.out());

    Cli.Run ingest = run("ingest", "submissions", "--lakehouse", lh, "--landing", sample + "/landing");
    assertEquals(0, ingest.code(), ingest.err());
    assertTrue(ingest.out().contains("accepted 60 + quarantined"), ingest.out());
    Cli.Run again = run("ingest", "submissions", "--lakehouse", lh, "--landing", sample + "/landing");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().startsWith("submissions ingest (nothing new)") && again.err().contains("Spark was not started"), again.out() + again.err());

    Cli.Run csv = run("sql", "--lakehouse", lh, "--format", "csv", "SELECT datanet, count(*) AS n FROM records GROUP BY datanet ORDER BY datanet");
    assertEquals("datanet,n\nagronomy,20\ncontracts,20\ndermatology,20\n", csv.out());

    Cli.Run json = run("sql", "--lakehouse", lh, "--format", "json", "SELECT count(*) AS n FROM quarantine");
    assertTrue(json.out().matches("\\{\"n\":\\d+}\\n"), json.out());

    // The table view cuts long values and says so, and how to see them whole.
    Cli.Run table = run("sql", "--lakehouse", lh, "SELECT repeat('x', 100) AS long_value");
    assertTrue(table.out().contains("x".repeat(59) + "…") && !table.out().contains("x".repeat(61)), table.out());
    assertTrue(table.out().contains("values over 60 characters are cut at …: --format csv or json prints them whole"), table.out());
    assertTrue(!run("sql", "--lakehouse", lh, "SELECT 'short' AS v").out().contains("cut at"));

    // Many queries on one Spark session: a multi-line query, a failing one (reported, the loop goes on), then one more.
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream("SELECT count(*) AS n\n  FROM records;\nSELECT nope FROM records;\nSELECT 'after' AS v;\n\\q\n"
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      Cli.Run repl = run("sql", "--lakehouse", lh, "--format", "csv", "--repl");
      assertEquals(1, repl.code(), "a failed query makes a piped script fail");
      assertEquals("n\n60\nv\nafter\n", repl.out());
      assertTrue(repl.err().contains("error: ") && repl.err().contains("nope"), repl.err());
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void signsWithAKeystoreAndTheSignedFileIsAccepted() throws Exception {
    // A contributor's first step: a key of their own (password from $PAYABLE_KEYSTORE_PASSWORD, set by the test's surefire configuration).
    java.nio.file.Path keys = scratch.resolve("keys");
    Cli.Run created = run("keystore", "new", "--dir", keys.toString());
    assertEquals(0, created.code(), created.err());
    String address = created.out().lines().filter(l -> l.startsWith("address  ")).findFirst().orElseThrow().substring(9);
    java.nio.file.Path keystore = java.nio.file.Path.of(created.out().lines().filter(l -> l.startsWith("keystore ")).findFirst().orElseThrow().substring(9));
    assertTrue(keystore.startsWith(keys.toAbsolutePath()) && keystore.getFileName().toString().startsWith("UTC--"), created.out());
    assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(keystore), "only its owner reads a keystore");
    org.web3j.crypto.ECKeyPair key = ai.payable.core.identity.SigningKeys.fromKeystore(keystore, "PW", java.util.Map.of("PW", KEYSTORE_PASSWORD));
    assertTrue(!created.out().contains(key.getPrivateKey().toString(16)) && !created.out().contains(KEYSTORE_PASSWORD), "the key is never printed");
    assertEquals("0x" + org.web3j.crypto.Keys.getAddress(key), address.toLowerCase(java.util.Locale.ROOT));
    java.nio.file.Path unsigned = scratch.resolve("mine.jsonl");
    Files.writeString(unsigned,
        "{\"datanet\":\"agronomy\",\"license\":\"CC0-1.0\",\"kind\":\"text\",\"text\":\"Rotating legumes with cereals restores soil nitrogen, and a cover crop of clover over winter keeps the topsoil from washing away in heavy rain.\",\"createdAt\":\"2026-11-20T10:00:00Z\"}\n");
    java.nio.file.Path landing = Files.createDirectories(scratch.resolve("landing"));
    Cli.Run signed = run("datanet", "sign", "--in", unsigned.toString(), "--out", landing.resolve("signed.jsonl").toString(),
        "--keystore", keystore.toString());
    assertEquals(0, signed.code(), signed.err());
    String lh = lakehouse.root().toString();
    java.nio.file.Path yaml = Files.writeString(scratch.resolve("d.yaml"), ai.payable.pipelines.sample.SampleSubmissions.DATANETS_YAML);
    assertEquals(0, run("datanet", "register", "--lakehouse", lh, "--file", yaml.toString()).code());
    Cli.Run ingest = run("ingest", "submissions", "--lakehouse", lh, "--landing", landing.toString());
    assertTrue(ingest.out().contains("accepted 1 + quarantined 0"), ingest.out());
    Cli.Run who = run("sql", "--lakehouse", lh, "--format", "csv", "SELECT contributor FROM records");
    assertEquals("contributor\n0x" + org.web3j.crypto.Keys.getAddress(key) + "\n", who.out());
    assertTrue(!signed.err().contains(KEYSTORE_PASSWORD) && !signed.out().contains(KEYSTORE_PASSWORD));
  }

  private static String[] withDomain(String[] domain, String... args) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(domain)).toArray(String[]::new);
  }

  @Test
  void rewardsTreePrintsTheRootAndRejectsBadRowsByLine() throws Exception {
    java.nio.file.Path csv = Files.writeString(scratch.resolve("balances.csv"),
        "account,cumulative_wei\n0x1111111111111111111111111111111111111111,5000000000000000000\n0x2222222222222222222222222222222222222222,2500000000000000000\n");
    String[] domain = {"--chain-id", "8453", "--distributor", "0x5555555555555555555555555555555555555555", "--token", "0x4444444444444444444444444444444444444444"};
    Cli.Run noDomain = run("rewards", "tree", "--balances", csv.toString(), "--out", scratch.resolve("dist").toString());
    assertEquals(1, noDomain.code());
    assertTrue(noDomain.err().contains("no distribution.json beside") && noDomain.err().contains("pass --chain-id, --distributor and --token"), noDomain.err());
    Cli.Run tree = run(withDomain(domain, "rewards", "tree", "--balances", csv.toString(), "--out", scratch.resolve("dist").toString()));
    assertEquals(0, tree.code(), tree.err());
    // The root @openzeppelin/merkle-tree gives for these leaves (see RewardsMerkleTreeTest).
    assertEquals("0x4d1397559aabcb79becc69c3ac18c775680354f214ab23ed218285db99d90ebb\n", tree.out());
    assertTrue(Files.exists(scratch.resolve("dist/tree.json")) && Files.exists(scratch.resolve("dist/proofs.json")));
    Cli.Run fromUri = run(withDomain(domain, "rewards", "tree", "--balances", csv.toUri().toString(), "--out", scratch.resolve("dist2").toString()));
    assertEquals(tree.out(), fromUri.out(), "a file:// URI, as reports print it, reads the same file: " + fromUri.err());
    Cli.Run missing = run(withDomain(domain, "rewards", "tree", "--balances", csv.toUri() + "-gone", "--out", scratch.resolve("dist3").toString()));
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("balances.csv-gone does not exist"), missing.err());

    java.nio.file.Path bad = Files.writeString(scratch.resolve("bad.csv"), "account,cumulative_wei\n0x1111111111111111111111111111111111111111,-1\n");
    Cli.Run rejected = run(withDomain(domain, "rewards", "tree", "--balances", bad.toString(), "--out", scratch.resolve("x").toString()));
    assertEquals(1, rejected.code());
    assertEquals("error: " + bad + ":2: cumulative_wei '-1' is not a non-negative integer\n", rejected.err());
  }

  @Test
  void userErrorsSayWhatToDo() throws Exception {
    String lh = lakehouse.root().toString();
    Cli.Run missing = run("datanet", "register", "--lakehouse", lh, "--file", "/nope/datanets.yaml");
    assertEquals(1, missing.code());
    assertEquals("error: DataNet file /nope/datanets.yaml does not exist\n", missing.err());

    Files.createDirectories(scratch.resolve("landing"));
    Cli.Run unregistered = run("ingest", "submissions", "--lakehouse", lh, "--landing", scratch.resolve("landing").toString());
    assertEquals(1, unregistered.code());
    assertTrue(unregistered.err().contains("run `payable datanet register --file datanets.yaml` first"), unregistered.err());

    Cli.Run badSql = run("sql", "--lakehouse", lh, "SELECT nope FROM records");
    assertEquals(1, badSql.code());
    assertTrue(badSql.err().startsWith("error: "), badSql.err());

    Cli.Run usage = run("ingest", "submissions", "--landing", "x", "--bogus");
    assertEquals(2, usage.code());
    assertTrue(usage.err().contains("Unknown option: '--bogus'"), usage.err());
  }
}
