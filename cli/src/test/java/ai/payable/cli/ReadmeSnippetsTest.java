package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.datanet.QualityRule;
import ai.payable.pipelines.sample.SampleSubmissions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * The README's code as a contributor or a reviewer copies it: each JavaScript snippet saved under
 * the file name the README gives and run with node, each {@code bin/payable} command it walks
 * through run with its arguments as printed (only placeholders such as {@code 0xYourAddress}
 * filled in), and their outputs checked against what the README says they print.
 */
class ReadmeSnippetsTest extends SparkTestBase {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  /** A fenced block and the paragraph before it (where the README says what to do with it). */
  record Snippet(String language, String code, String intro) {}

  static List<Snippet> snippets() throws IOException {
    List<Snippet> out = new ArrayList<>();
    StringBuilder paragraph = new StringBuilder();
    String previous = ""; // the last paragraph that ended
    String language = null;
    String intro = "";
    StringBuilder code = new StringBuilder();
    for (String line : Files.readAllLines(REPO.resolve("README.md"))) {
      if (line.startsWith("```")) {
        if (language == null) {
          language = line.substring(3).strip();
          intro = paragraph.isEmpty() ? previous : paragraph.toString().strip();
          code.setLength(0);
        } else {
          out.add(new Snippet(language, code.toString().stripTrailing(), intro));
          language = null;
          previous = "";
          paragraph.setLength(0);
        }
      } else if (language != null) {
        code.append(line).append('\n');
      } else if (line.isBlank()) {
        if (!paragraph.isEmpty()) {
          previous = paragraph.toString().strip();
          paragraph.setLength(0);
        }
      } else {
        paragraph.append(line).append('\n');
      }
    }
    return out;
  }

  private static Snippet only(List<Snippet> all, String language, String containing) {
    List<Snippet> found = all.stream().filter(s -> s.language().equals(language) && s.code().contains(containing)).toList();
    assertEquals(1, found.size(), "README blocks of " + language + " containing " + containing);
    return found.get(0);
  }

  @Test
  void theReadmesDataNetDefaultsAreTheCodesDefaults() throws Exception {
    Snippet yaml = only(snippets(), "yaml", "near_duplicate_similarity");
    DataNetPolicy documented = DataNetSpecs.parse(yaml.code(), "README.md").get(0);
    DataNetPolicy defaults = DataNetSpecs.parse("datanets:\n  - id: dermatology\n    domain: medicine\n", "defaults").get(0);
    assertEquals(defaults, documented, "the README's YAML block lists every default as the code has it");
    for (QualityRule rule : QualityRule.values()) {
      assertTrue(yaml.code().contains("    " + rule.key() + ": "), "the README lists " + rule.key());
    }
  }

  @Test
  void everyJavaScriptSnippetNamesTheFileToSaveItAs() throws IOException {
    List<Snippet> js = snippets().stream().filter(s -> s.language().equals("js")).toList();
    assertEquals(3, js.size(), "a new JavaScript snippet in the README needs a run in this test");
    for (Snippet s : js) {
      // `import` and top-level `await` make a module: node runs it from a .mjs file, not a .js one.
      assertTrue(s.intro().matches("(?s).*`\\w+\\.mjs`.*"), "the README says which .mjs file to save this in:\n" + s.intro());
      for (String name : List.of("fs", "StandardMerkleTree", "Wallet")) {
        if (s.code().contains(name + ".")) {
          assertTrue(s.code().matches("(?s).*import (\\{ )?" + name + "( })? from .*"), "the snippet imports " + name + ":\n" + s.code());
        }
      }
    }
  }

  @Test
  void theEthersSigningSnippetSignsALineThatIsAccepted() throws Exception {
    Snippet sign = only(snippets(), "js", "Payable AI DataNet");
    Path dir = snippetFolder();
    String code = sign.code()
        .replace("prompt: \"…\"", "prompt: \"How long does contact dermatitis from a new detergent usually last?\"")
        .replace("completion: \"…\"", "completion: \"Once the detergent is no longer used, the rash of contact dermatitis usually fades "
            + "within two to four weeks; a mild steroid cream and a fragrance-free moisturiser shorten it.\"");
    Files.writeString(dir.resolve(fileNamedIn(sign)), code);
    String key = Numeric.toHexStringWithPrefixZeroPadded(Keys.createEcKeyPair().getPrivateKey(), 64);
    String line = node(dir, fileNamedIn(sign), Map.of("PRIVATE_KEY", key)).strip();
    assertTrue(line.startsWith("{\"datanet\":\"dermatology\"") && line.contains("\"signature\":\"0x"), line);

    Path landing = Files.createDirectories(scratch.resolve("landing"));
    Files.writeString(landing.resolve("signed.jsonl"), line + "\n");
    String lh = lakehouse.root().toString();
    Path yaml = Files.writeString(scratch.resolve("datanets.yaml"), SampleSubmissions.DATANETS_YAML);
    assertEquals(0, Cli.run("datanet", "register", "--lakehouse", lh, "--file", yaml.toString()).code());
    Cli.Run ingest = Cli.run("ingest", "submissions", "--lakehouse", lh, "--landing", landing.toString());
    assertTrue(ingest.out().contains("accepted 1 + quarantined 0"), "the README's signature verifies: " + ingest.out() + ingest.err());
  }

  @Test
  void theGatewaySigningSnippetWritesALineThatIsPaid() throws Exception {
    Snippet sign = only(snippets(), "js", "InferenceLog");
    Path dir = snippetFolder();
    String code = sign.code().replace("inference_id: \"…\"", "inference_id: \"readme-1\"").replace("model_id: \"…\"", "model_id: \"any-model\"")
        .replace("prompt: \"…\"", "prompt: \"How deep should garlic be planted?\"").replace("output: \"…\"", "output: \"About five centimetres.\"");
    Files.writeString(dir.resolve(fileNamedIn(sign)), code);
    String key = Numeric.toHexStringWithPrefixZeroPadded(Keys.createEcKeyPair().getPrivateKey(), 64);
    String line = node(dir, fileNamedIn(sign), Map.of("GATEWAY_KEY", key)).strip();
    String gateway = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).path("gateway").asText();
    assertTrue(line.contains("\"signature\":\"0x") && line.contains("\"ts\":\""), line);

    String lh = lakehouse.root().toString();
    Path landing = Files.createDirectories(scratch.resolve("logs"));
    Files.writeString(landing.resolve("day.jsonl"), line + "\n");
    Cli.Run unregistered = Cli.run("ingest", "inferences", "--lakehouse", lh, "--landing", landing.toString());
    assertTrue(unregistered.out().contains("accepted 0 + quarantined 1") && unregistered.out().contains("UNKNOWN_GATEWAY"), unregistered.out());
    assertEquals(0, Cli.run("gateway", "register", "--lakehouse", lh, "--id", "js-gateway", "--address", gateway).code());
    Path fresh = Files.createDirectories(scratch.resolve("logs-fresh"));
    Files.writeString(fresh.resolve("day.jsonl"), line + "\n");
    Cli.Run paid = Cli.run("ingest", "inferences", "--lakehouse", lh, "--landing", fresh.toString());
    assertTrue(paid.out().contains("accepted 1 + quarantined 0"), "ethers' signature verifies: " + paid.out() + paid.err());
  }

  @Test
  void theRootRebuildsAsPrintedAndTheMerkleTreeSnippetVerifiesAClaim() throws Exception {
    List<Snippet> all = snippets();
    Snippet tree = only(all, "", "bin/payable rewards tree");
    Path dir = snippetFolder();
    Files.writeString(dir.resolve("balances.csv"), "account,cumulative_wei\n"
        + "0x1111111111111111111111111111111111111111,5000000000000000000\n0x2222222222222222222222222222222222222222,2500000000000000000\n");
    List<String> lines = tree.code().lines().toList();
    List<String> args = new ArrayList<>(List.of(lines.get(0).split(" +")));
    args.replaceAll(a -> a.equals("balances.csv") || a.equals("dist/") ? dir.resolve(a).toString() : a);
    Cli.Run built = Cli.run(args.subList(1, args.size()).toArray(String[]::new));
    assertEquals(0, built.code(), built.err());
    assertEquals(lines.get(1) + "\n", built.out(), "the README prints the root this command gives");

    // "What am I owed?" as printed, with the published folder being the one just written: no chain is needed.
    Snippet owed = all.stream().filter(x -> x.code().startsWith("bin/payable claim")).findFirst().orElseThrow();
    List<String> claim = new ArrayList<>(List.of(owed.code().strip().split(" +")));
    claim.replaceAll(a -> a.equals("0xYourAddress") ? "0x1111111111111111111111111111111111111111" : a.startsWith("https://…") ? dir.resolve("dist").toString() : a);
    Cli.Run statement = Cli.run(claim.subList(1, claim.size()).toArray(String[]::new));
    assertEquals(0, statement.code(), statement.err());
    assertTrue(statement.out().contains("proof         checked") && statement.out().contains("cumulative    5,000,000,000,000,000,000 wei"), statement.out());

    Snippet check = only(all, "js", "StandardMerkleTree");
    Files.writeString(dir.resolve(fileNamedIn(check)), check.code().replace("0xYourChecksummedAddress", "0x1111111111111111111111111111111111111111"));
    assertEquals("true\n", node(dir, fileNamedIn(check), Map.of()));
  }

  /** The {@code name.mjs} the snippet's paragraph says to save it as. */
  private static String fileNamedIn(Snippet s) {
    Matcher m = Pattern.compile("`(\\w+\\.mjs)`").matcher(s.intro());
    if (!m.find()) {
      fail("the README does not say which file to save this snippet in:\n" + s.intro());
    }
    return m.group(1);
  }

  /**
   * A folder inside the repository, so that node resolves the snippets' imports from the
   * project's pinned node_modules as it would from a contributor's own project.
   */
  private Path snippetFolder() throws IOException {
    Path dir = Path.of("target/readme-snippets").toAbsolutePath().resolve(scratch.getFileName().toString());
    return Files.createDirectories(dir);
  }

  private static String node(Path dir, String file, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("node", file).directory(dir.toFile());
    pb.environment().putAll(env);
    Path err = Files.createTempFile(dir, "node", ".err");
    Process p = pb.redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node " + file + " did not finish");
    assertEquals(0, p.exitValue(), () -> "node " + file + " failed: " + read(err));
    return out;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
