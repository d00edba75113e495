package ai.payable.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.cli.Cli;
import ai.payable.cli.demo.DemoQuestions.Route;
import ai.payable.cli.demo.PayoutCheck.Checked;
import ai.payable.cli.notebooks.Notebooks;
import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.rewards.chain.RootPoster;
import ai.payable.training.reference.HuggingFaceReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo's whole path at a reduced size (SmolLM2 cut to two layers, small adapters): ingest, import,
 * train, index, answer with retrieval, attribute, pay on a real anvil, claim twice, report; asserted
 * on the stages' summaries. Then the researchers' notebooks run headless against the lakehouse it
 * leaves.
 */
class EndToEndTest extends SparkTestBase {

  private static final Path REPO = Notebooks.REPO;

  @Test
  void theNightlyPathRunsEndToEndAndTheNotebooksRunOnItsLakehouse() throws Exception {
    Path base = HuggingFaceReference.truncatedSmolLM2(scratch.resolve("smol-test"), 2);
    Path work = scratch.resolve("demo");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Demo.Outcome o = new Demo(new Demo.Settings(work, REPO, base, Path.of("src/test/resources/demo-specs").toAbsolutePath(), 90, 4, 4, 2, 16),
        lakehouse, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    String out = printed.toString(StandardCharsets.UTF_8);

    assertEquals(o.records().lines(), o.records().accepted() + o.records().quarantined(), "every submitted line is accounted for");
    assertEquals(90, o.records().accepted(), out);
    assertTrue(o.records().quarantined() > 0, "the hostile lines are quarantined");
    assertEquals(3, o.adapters().size());
    assertEquals(3, o.indexes().size());

    List<Checked> checks = o.checks();
    assertEquals(24, checks.size(), "4 questions per DataNet and day");
    for (Checked c : checks) {
      // The owner's record reaches the prompt of every grounded answer; closed-book and base answers see none.
      if (c.asked().route() == Route.GROUNDED) {
        assertTrue(c.ownerRank() >= 1, () -> "the owner's record was retrieved for " + c.asked().question().question());
        assertTrue(c.ownerShare() > 0, () -> "the owner is paid for a grounded answer about " + c.asked().question().entity());
      } else {
        assertTrue(c.retrieved().isEmpty());
      }
      if (c.asked().route() == Route.BASE) {
        assertEquals(0.0, c.ownerShare(), "no DataNet stands behind an answer of the bare base");
      }
    }

    for (Demo.Day d : o.days()) {
      assertEquals(12, d.served().answers());
      assertEquals(12, d.logs().accepted(), "every answer of the day is ingested");
      assertEquals(d.attributed().fees(), d.attributed().rewards(), "every wei of the fees is paid out");
      assertEquals(RootPoster.Outcome.SENT, d.proposed().outcome());
      assertTrue(d.accepted().recorded(), "the accepted root is recorded in the distributions table");
      assertTrue(Files.exists(d.report().html()) && Files.exists(d.report().json()));
      // The contributors' claim page of the accepted root: the page, and the claimant's proof in its shard.
      assertTrue(Files.exists(d.site().folder().resolve("index.html")) && Files.exists(d.site().folder().resolve("site.json")));
      assertEquals(d.cumulative(), ai.payable.rewards.merkle.ProofShards.find(d.site().folder().toString(), ai.payable.core.identity.Address.parse(d.claimant()),
          new org.apache.hadoop.conf.Configuration()).orElseThrow().balance().cumulativeWei());
      assertTrue(out.contains("the contributors' claim page of " + d.epoch()), out);
      // Governance reviews the root while its timelock runs: the report is written then, lists every check and says how to stop the root.
      String html = Files.readString(d.report().html());
      assertTrue(html.contains("This root is <b>pending</b>") && html.contains("id=\"revoke-command\"") && html.contains("If nobody acts"),
          "the report of " + d.epoch() + " shows the review window");
      assertEquals(5, d.report().checks().size(), "every check ran or says why not");
      assertTrue(html.contains(" PAYT") && html.contains("data-wei="), "amounts in the token's units, exact wei kept");
      // The report's "verify the root yourself" command works as printed (only its scratch folder moved).
      Matcher verify = Pattern.compile("<pre>(payable rewards tree [^<]+)</pre>").matcher(html);
      assertTrue(verify.find(), "the report prints how to verify the root");
      List<String> args = new ArrayList<>(List.of(verify.group(1).replace("&amp;", "&").split(" ")));
      args.set(args.indexOf("--out") + 1, scratch.resolve("verify-" + d.epoch()).toString());
      Cli.Run verified = Cli.run(args.subList(1, args.size()).toArray(String[]::new));
      assertEquals(0, verified.code(), verify.group(1) + " failed: " + verified.err());
      assertEquals(d.proposed().root() + "\n", verified.out(), "the printed command rebuilds the posted root");
    }
    // The copy planted on the last day is quarantined, and that day's report flags the copied record for review.
    Demo.Day last = o.days().get(o.days().size() - 1);
    assertTrue(last.report().anomalies().stream().anyMatch(a -> a.kind() == ai.payable.governance.anomaly.Anomaly.Kind.NEAR_DUPLICATES),
        "the planted copy is flagged: " + last.report().anomalies());
    assertTrue(out.contains("planted for the review: ") && out.contains("ingestion quarantined it (DUPLICATE)"), "the demo says what it planted");

    // The offline statement the demo prints for the claimant works as printed, and lists both days.
    Matcher owed = Pattern.compile("from the published files alone: bin/payable (claim [^\n]+)").matcher(out);
    String lastOwed = null;
    while (owed.find()) {
      lastOwed = owed.group(1);
    }
    assertTrue(lastOwed != null, "the demo says how to see what the claimant is owed");
    Cli.Run statement = Cli.run(lastOwed.split(" "));
    assertEquals(0, statement.code(), lastOwed + ": " + statement.err());
    assertTrue(statement.out().contains("proof         checked") && statement.out().contains(o.days().get(1).epoch() + "  +")
        && statement.out().contains(o.days().get(0).epoch() + "  +"), statement.out());
    // The claimant received day 1's cumulative balance, then exactly day 2's increase.
    Demo.Day day1 = o.days().get(0);
    Demo.Day day2 = o.days().get(1);
    assertEquals(day1.claimant(), day2.claimant());
    assertEquals(day1.cumulative(), day1.claim().amount(), "day 1: the whole cumulative balance");
    assertEquals(day2.cumulative().subtract(day1.cumulative()), day2.claim().amount(), "day 2: only the increase");
    assertTrue(day2.claim().amount().signum() > 0, "the claimant earned on day 2 too");
    BigInteger rewarded = BigInteger.ZERO;
    for (var r : lakehouse.read(Tables.EPOCH_REWARDS).where("role = 'data'").collectAsList()) {
      if (Address.parse(r.getAs("account")).equals(Address.parse(day1.claimant()))) {
        rewarded = rewarded.add(r.<BigDecimal>getAs("amount_wei").toBigIntegerExact());
      }
    }
    assertEquals(day2.cumulative(), rewarded, "the cumulative balance is the sum of the epochs' data rewards");
    assertEquals(2L, lakehouse.read(Tables.DISTRIBUTIONS).where("status = 'accepted'").count());

    // The gateway's log says which records the model saw, best first, and the inferences table keeps them.
    JsonNode line = new ObjectMapper().readTree(Files.readAllLines(work.resolve("inference-logs/2026-11-23/gateway-2026-11-23.jsonl")).get(0));
    assertEquals(1, line.get("retrieved").get(0).get("rank").asInt());
    assertTrue(line.get("prompt_tokens").asInt() > line.get("output_tokens").asInt(), "the retrieved records are in the prompt");
    assertFalse(out.isBlank());
    assertTrue(out.contains(checks.get(0).asked().question().question()), "the first answers are printed in full");

    List<String> notebooks = List.of("1-datanets", "2-answer-attribution", "3-epoch-rewards");
    Path executed = scratch.resolve("notebooks");
    Notebooks.Run run = Notebooks.execute(notebooks.stream().map(n -> Notebooks.REPO.resolve("notebooks/" + n + ".ipynb")).toList(),
        Path.of(lakehouse.root()), executed);
    assertEquals(0, run.exitCode(), () -> "the notebooks failed:\n" + run.output());
    for (String notebook : notebooks) {
      assertTrue(chartsIn(executed.resolve(notebook + ".ipynb")) >= 1, notebook + " shows at least one chart");
    }
  }

  private static int chartsIn(Path notebook) throws java.io.IOException {
    int charts = 0;
    for (var cell : new ObjectMapper().readTree(notebook.toFile()).path("cells")) {
      for (var output : cell.path("outputs")) {
        charts += output.path("data").has("image/svg+xml") ? 1 : 0;
      }
    }
    return charts;
  }
}
