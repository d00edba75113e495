package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.rewards.chain.LocalAnvil;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.WalletUtils;

/**
 * The rewards commands as an operator, a guardian and a contributor use them, against a real anvil:
 * deploy, build, propose (refused unfunded, then topped up), accept (refused early), status, claim
 * (online and from the published files alone), revoke, pause and unpause.
 */
class RewardsCommandTest extends SparkTestBase {

  private static final LocalDate DAY = LocalDate.parse("2026-11-23");
  private static final LocalDate DAY2 = DAY.plusDays(1);

  private void reward(String account, long wei) {
    reward(DAY, account, wei);
  }

  private void reward(LocalDate day, String account, long wei) {
    Row row = RowFactory.create(Date.valueOf(day), account, "data", new BigDecimal(wei));
    lakehouse.ensure(Tables.EPOCH_REWARDS);
    spark().createDataFrame(List.of(row), Tables.EPOCH_REWARDS.schema()).write().format("delta").mode("append")
        .save(lakehouse.path(Tables.EPOCH_REWARDS));
  }

  private static Map<String, String> assignments(String out) {
    Map<String, String> env = new HashMap<>();
    out.lines().filter(l -> l.matches("PAYABLE_[A-Z_]+=.+")).forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return env;
  }

  /** {@code words} (the command), then {@code options}, then {@code more}. */
  private static String[] args(List<String> words, List<String> options, String... more) {
    List<String> all = new java.util.ArrayList<>(words);
    all.addAll(options);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void aQuietDayBuildsReportsAndProposesNothingAndSucceeds() {
    String lh = lakehouse.root().toString();
    // Nothing listens on port 9: a step that reached for the chain would fail.
    List<String> chain = List.of("--rpc", "http://127.0.0.1:9", "--chain-id", "1", "--distributor", "0x" + "11".repeat(20));
    Cli.Run build = Cli.run(args(List.of("rewards", "build"), chain, "--lakehouse", lh, "--epoch", DAY.toString(), "--artifacts", scratch.resolve("d").toString()));
    assertEquals(0, build.code(), build.err());
    assertEquals("epoch " + DAY + " logged no answers: nothing to distribute, no root for it\n", build.out());
    Cli.Run report = Cli.run(args(List.of("report"), chain, "--lakehouse", lh, "--epoch", DAY.toString(), "--out", scratch.resolve("r").toString()));
    assertEquals(0, report.code(), report.err());
    assertEquals("epoch " + DAY + " logged no answers: no distribution, nothing to report\n", report.out());
    assertTrue(!Files.exists(scratch.resolve("d/" + DAY)), "no distribution files");

    reward("0x" + "22".repeat(20), 5);
    Cli.Run rewarded = Cli.run(args(List.of("rewards", "build"), chain, "--lakehouse", lh, "--epoch", DAY.toString(), "--artifacts", scratch.resolve("d").toString()));
    assertEquals(1, rewarded.code(), "a day with rewards is not quiet: its build reaches for the chain\n" + rewarded.out());
  }

  @Test
  void operatorAndContributorFlow() throws Exception {
    try (LocalAnvil anvil = LocalAnvil.start(Path.of("..").toAbsolutePath().normalize(), scratch)) {
      Path keys = Files.createDirectories(scratch.resolve("keys"));
      Path operator = keys.resolve(WalletUtils.generateWalletFile(Cli.KEYSTORE_PASSWORD, anvil.accounts.get(0).getEcKeyPair(), keys.toFile(), false));
      String lh = lakehouse.root().toString();
      List<String> chain = List.of("--rpc", anvil.url, "--chain-id", String.valueOf(anvil.chainId));

      Cli.Run wrongChain = Cli.run("rewards", "status", "--rpc", anvil.url, "--chain-id", "1", "--distributor", "0x" + "11".repeat(20));
      assertEquals(1, wrongChain.code());
      assertEquals("error: " + anvil.url + " serves chain " + anvil.chainId + ", not the expected 1; nothing sent\n", wrongChain.err());

      Cli.Run deploy = Cli.run(args(List.of("rewards", "deploy"), chain, "--test-token", "--mint-to-sender", "5000", "--timelock", "3600",
          "--single-key", "--keystore", operator.toString()));
      assertEquals(0, deploy.code(), deploy.err());
      Map<String, String> env = assignments(deploy.out());
      assertEquals(2, env.size(), deploy.out());
      List<String> onDistributor = List.of(args(List.of(), chain, "--distributor", env.get("PAYABLE_DISTRIBUTOR")));
      Cli.Run sharedKeys = Cli.run(args(List.of("rewards", "deploy"), chain, "--test-token", "--keystore", operator.toString()));
      assertEquals(1, sharedKeys.code());
      assertTrue(sharedKeys.err().contains("name the updater (--updater 0x…") && sharedKeys.err().contains("--single-key"), sharedKeys.err());
      Cli.Run tooLong = Cli.run(args(List.of("rewards", "deploy"), chain, "--test-token", "--single-key", "--timelock", "86400", "--keystore",
          operator.toString()));
      assertEquals(1, tooLong.code());
      assertTrue(tooLong.err().contains("does not fit the schedule") && tooLong.err().contains("at most 82800 s"), tooLong.err());

      String alice = anvil.accounts.get(1).getAddress();
      reward(alice, 700);
      reward(anvil.accounts.get(2).getAddress(), 300);
      // With the chain configured, the build records the token's units in the published distribution.json.
      Cli.Run build = Cli.run(args(List.of("rewards", "build"), onDistributor, "--lakehouse", lh, "--epoch", DAY.toString(), "--artifacts",
          scratch.resolve("dist").toString()));
      assertEquals(0, build.code(), build.err());
      assertTrue(build.out().contains("0.000000000000001 PAYT (1000 wei) cumulative"), build.out());
      String root = build.out().lines().filter(l -> l.startsWith("root ")).findFirst().orElseThrow().substring(5);

      String[] propose = args(List.of("rewards", "propose"), onDistributor, "--lakehouse", lh, "--epoch", DAY.toString(), "--keystore", operator.toString());
      Cli.Run tooShortASchedule = Cli.run(args(List.of(propose), List.of("--schedule-period", "3600")));
      assertEquals(1, tooShortASchedule.code());
      assertTrue(tooShortASchedule.err().contains("does not fit the schedule") && tooShortASchedule.err().contains("nothing sent"), tooShortASchedule.err());
      // The governance report is written before the proposal, and the proposal's record names it.
      Cli.Run reported = Cli.run(args(List.of("report"), onDistributor, "--lakehouse", lh, "--epoch", DAY.toString(), "--out",
          scratch.resolve("reports").toString()));
      assertEquals(0, reported.code(), reported.err());
      Cli.Run unfunded = Cli.run(propose);
      assertEquals(1, unfunded.code());
      assertTrue(unfunded.err().contains("holds 0 wei") && unfunded.err().contains("send it 1000 wei more, or re-run with --top-up"), unfunded.err());
      // An empty funding account (a scheduler's optional Variable left unset) tops up nothing.
      Cli.Run noFunder = Cli.run(args(List.of(propose), List.of("--top-up-from=")));
      assertEquals(1, noFunder.code(), noFunder.out());
      assertTrue(noFunder.err().contains("send it 1000 wei more, or re-run with --top-up-from"), noFunder.err());
      Cli.Run proposed = Cli.run(args(List.of(propose), List.of("--top-up")));
      assertEquals(0, proposed.code(), proposed.err());
      assertTrue(proposed.out().contains("topped up the distributor with 0.000000000000001 PAYT (1000 wei)") && proposed.out().contains("proposed root " + root), proposed.out());
      String reportUri = scratch.resolve("reports/report-" + DAY + ".html").toUri().toString();
      assertTrue(proposed.out().contains("governance report: " + reportUri), proposed.out());
      assertEquals("report_uri\n" + reportUri + "\n", Cli.run("sql", "--lakehouse", lh, "--format", "csv",
          "SELECT report_uri FROM distributions WHERE epoch = DATE'" + DAY + "'").out());
      Cli.Run again = Cli.run(propose);
      assertTrue(again.out().startsWith("root " + root + " for " + DAY + " is already pending; nothing sent\n"), again.out());

      String[] accept = args(List.of("rewards", "accept"), onDistributor, "--lakehouse", lh, "--keystore", operator.toString());
      Cli.Run early = Cli.run(accept);
      assertEquals(1, early.code());
      assertTrue(early.err().contains("becomes acceptable at") && early.err().contains("nothing sent"), early.err());
      // anvil mines no block while idle, so its clock would never reach the timelock's end: the error says so, and how to move it.
      assertTrue(early.err().contains("This is a local development chain (anvil") && early.err().contains("waiting will not help")
          && early.err().contains("payable rewards accept --advance-time"), early.err());
      Cli.Run accepted = Cli.run(args(List.of(accept), List.of("--advance-time")));
      assertEquals(0, accepted.code(), accepted.err());
      assertTrue(accepted.out().startsWith("advanced the development chain's clock by ") && accepted.out().contains(" s to the end of the timelock\n"
          + "accepted root " + root + " for " + DAY), accepted.out());
      Cli.Run status = Cli.run(args(List.of("rewards", "status"), onDistributor));
      assertTrue(status.out().contains("accepted      " + DAY + "  root " + root), status.out());
      assertTrue(status.out().contains("balance       0.000000000000001 PAYT (1000 wei)") && status.out().contains("pending       none"), status.out());

      Cli.Run quote = Cli.run(args(List.of("claim"), onDistributor, "--lakehouse", lh, "--account", alice));
      assertEquals(0, quote.code(), quote.err());
      assertTrue(quote.out().contains("cumulative    0.0000000000000007 PAYT (700 wei)") && quote.out().contains("claimable     0.0000000000000007 PAYT (700 wei)"), quote.out());
      Cli.Run sent = Cli.run(args(List.of("claim"), onDistributor, "--lakehouse", lh, "--account", alice, "--send", "--keystore", operator.toString()));
      assertEquals(0, sent.code(), sent.err());
      assertTrue(sent.out().contains(": 0.0000000000000007 PAYT (700 wei) received"), sent.out());
      Cli.Run twice = Cli.run(args(List.of("claim"), onDistributor, "--distribution", scratch.resolve("dist/" + DAY).toString(), "--account", alice,
          "--send", "--keystore", operator.toString()));
      assertEquals(1, twice.code());
      assertTrue(twice.err().contains("already claimed its 700 wei"), twice.err());
      Cli.Run stranger = Cli.run(args(List.of("claim"), onDistributor, "--distribution", scratch.resolve("dist/" + DAY).toString(), "--account", "0x" + "ab".repeat(20)));
      assertEquals(1, stranger.code());
      assertTrue(stranger.err().contains("has no reward in the distribution at"), stranger.err());
      Cli.Run noKey = Cli.run(args(List.of("claim"), onDistributor, "--account", alice, "--send"));
      assertTrue(noKey.err().contains("--send needs a key"), noKey.err());
      assertTrue(!(deploy.out() + deploy.err() + sent.out() + sent.err()).contains(Cli.KEYSTORE_PASSWORD));

      // A second epoch: alice earns 300 more. Proposed, then revoked by the guardian during the review window.
      reward(DAY2, alice, 300);
      Cli.Run build2 = Cli.run(args(List.of("rewards", "build"), onDistributor, "--lakehouse", lh, "--epoch", DAY2.toString(), "--artifacts",
          scratch.resolve("dist").toString()));
      assertEquals(0, build2.code(), build2.err());
      assertEquals(0, Cli.run(args(List.of("rewards", "propose"), onDistributor, "--lakehouse", lh, "--epoch", DAY2.toString(), "--top-up",
          "--keystore", operator.toString())).code());
      String[] revoke = args(List.of("rewards", "revoke"), onDistributor, "--lakehouse", lh, "--keystore", operator.toString(), "--reason", "share jump under review");
      Cli.Run revoked = Cli.run(revoke);
      assertEquals(0, revoked.code(), revoked.err());
      assertTrue(revoked.out().startsWith("revoked root ") && revoked.out().contains(" for " + DAY2 + " (reason: share jump under review) in tx 0x"),
          revoked.out());
      assertEquals("status\nbuilt\n", Cli.run("sql", "--lakehouse", lh, "--format", "csv", "SELECT status FROM distributions WHERE epoch = DATE'" + DAY2 + "'").out(),
          "a revoked epoch is back to built, to be fixed and proposed again");
      assertEquals("no root is pending; nothing sent\n", Cli.run(revoke).out());
      Path strangerKey = keys.resolve(WalletUtils.generateWalletFile(Cli.KEYSTORE_PASSWORD, anvil.accounts.get(3).getEcKeyPair(), keys.toFile(), false));
      Cli.Run notGuardian = Cli.run(args(List.of("rewards", "pause"), onDistributor, "--keystore", strangerKey.toString()));
      assertEquals(1, notGuardian.code());
      assertTrue(notGuardian.err().contains("does not hold the distributor's guardian role") && notGuardian.err().contains("nothing sent"), notGuardian.err());
      // A dry run shows the call and its simulated outcome, for a key or a multisig that will send it.
      Cli.Run dryRun = Cli.run(args(List.of("rewards", "pause"), onDistributor, "--dry-run", "--from", anvil.accounts.get(0).getAddress()));
      assertEquals(0, dryRun.code(), dryRun.err());
      assertTrue(dryRun.out().startsWith("dry run, nothing sent:") && dryRun.out().contains("call      pause()")
          && dryRun.out().contains("calldata  0x8456cb59") && dryRun.out().contains("simulated would succeed"), dryRun.out());
      Cli.Run dryRunStranger = Cli.run(args(List.of("rewards", "pause"), onDistributor, "--dry-run", "--from", anvil.accounts.get(3).getAddress()));
      assertTrue(dryRunStranger.out().contains("simulated would fail: " + Address.parse(anvil.accounts.get(3).getAddress()).checksummed() + " does not hold the distributor's guardian role"),
          dryRunStranger.out());
      Cli.Run roles = Cli.run(args(List.of("rewards", "roles"), onDistributor));
      assertEquals(0, roles.code(), roles.err());
      String admin = Address.parse(anvil.accounts.get(0).getAddress()).checksummed();
      assertTrue(roles.out().contains("admin       " + admin + "  (transfers wait 48 h)") && roles.out().contains("guardians   " + admin), roles.out());
      Cli.Run timelock = Cli.run(args(List.of("rewards", "timelock"), onDistributor, "--propose", "86400", "--dry-run"));
      assertEquals(1, timelock.code());
      assertTrue(timelock.err().contains("does not fit the schedule"), timelock.err());
      Cli.Run paused = Cli.run(args(List.of("rewards", "pause"), onDistributor, "--keystore", operator.toString()));
      assertTrue(paused.out().startsWith("paused claims and acceptance in tx 0x"), paused.out() + paused.err());
      assertTrue(Cli.run(args(List.of("claim"), onDistributor, "--lakehouse", lh, "--account", alice)).out().contains("(claims are paused)"));
      assertTrue(Cli.run(args(List.of("rewards", "unpause"), onDistributor, "--keystore", operator.toString())).out().startsWith("claims and acceptance resumed in tx 0x"));

      // What alice is owed from the published files alone: no chain settings at all, the proof checked locally, epoch by epoch.
      Cli.Run owed = Cli.run("claim", "--account", alice, "--distribution", scratch.resolve("dist/" + DAY2).toString());
      assertEquals(0, owed.code(), owed.err());
      assertTrue(owed.out().contains("(epoch " + DAY2 + ", root 0x") && owed.out().contains("proof         checked: it leads from your leaf to the root"), owed.out());
      assertTrue(owed.out().contains("cumulative    0.000000000000001 PAYT (1000 wei)"), owed.out());
      assertTrue(owed.out().contains("earned        " + DAY2 + "  +0.0000000000000003 PAYT\n              " + DAY + "  +0.0000000000000007 PAYT\n"), owed.out());
      assertTrue(owed.out().contains("claimed       not known offline"), owed.out());
      Cli.Run noFolder = Cli.run("claim", "--account", alice);
      assertEquals(1, noFolder.code());
      assertTrue(noFolder.err().contains("without a chain, pass --distribution"), noFolder.err());
      // A proofs.json edited to pay more no longer leads to its root: the statement refuses it.
      Path forged = Files.createDirectories(scratch.resolve("forged/" + DAY2));
      for (String f : List.of("proofs.json", "distribution.json")) {
        Files.copy(scratch.resolve("dist/" + DAY2 + "/" + f), forged.resolve(f));
      }
      Files.writeString(forged.resolve("proofs.json"), Files.readString(forged.resolve("proofs.json")).replace("\"1000\"", "\"9000\""));
      Cli.Run tampered = Cli.run("claim", "--account", alice, "--distribution", forged.toString());
      assertEquals(1, tampered.code());
      assertTrue(tampered.err().contains("does not lead to its root") && tampered.err().contains("do not claim with it"), tampered.err());
    }
  }
}
