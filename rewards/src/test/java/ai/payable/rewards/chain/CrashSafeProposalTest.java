package ai.payable.rewards.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.ChainAction;
import ai.payable.core.catalog.ChainTransactionRow;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.money.TokenUnits;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.distribution.DistributionBuilder;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.distribution.TransactionJournal;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;

/**
 * A proposal killed with SIGKILL between signing and its receipt, on a chain that mines nothing
 * (anvil's automine off, as a congested L2): the re-run finds the recorded transaction, waits,
 * replaces it at the same nonce with a higher fee, and exactly one {@code submitRoot} is ever
 * mined.
 */
class CrashSafeProposalTest extends SparkTestBase {

  private static final LocalDate DAY = LocalDate.parse("2026-11-23");

  @Test
  void aKilledProposalIsResumedNeverSentTwice() throws Exception {
    try (LocalAnvil anvil = LocalAnvil.start(Path.of("..").toAbsolutePath().normalize(), scratch)) {
      EvmClient chain = new EvmClient(anvil.web3, anvil.accounts.get(0), anvil.chainId, 50);
      DistributorDeployment deployment = DistributorDeployment.withTestToken(chain, DistributorDeployment.MIN_TIMELOCK, BigInteger.valueOf(10_000));
      long deployedAt = anvil.web3.ethBlockNumber().send().getBlockNumber().longValueExact();
      lakehouse.append(Tables.EPOCH_REWARDS, List.of(RowFactory.create(Date.valueOf(DAY), anvil.accounts.get(1).getAddress(), "data", new BigDecimal(700))));
      String root = new DistributionBuilder(lakehouse, scratch.resolve("dist").toString()).build(DAY, deployment.domain(chain), TokenUnits.WEI).root();
      BigInteger nonceBefore = chain.nonce(false);

      lakehouse.ensure(Tables.CHAIN_TRANSACTIONS); // created here, not by two processes at once
      anvil.automine(false);
      Process child = proposeInAnotherProcess(anvil, deployment.distributor());
      TransactionJournal journal = new TransactionJournal(lakehouse);
      List<ChainTransactionRow> recorded = awaitAttempts(journal, deployment, chain, 1, child);
      String first = recorded.get(0).txHash();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (anvil.web3.ethGetTransactionByHash(first).send().getTransaction().isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the child sent its transaction");
        Thread.sleep(100);
      }
      child.destroyForcibly(); // SIGKILL: signed, recorded, sent, no receipt
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(DistributionStatus.BUILT, new DistributionLedger(lakehouse).require(DAY).status(), "the killed run recorded nothing more");

      // The re-run resumes the recorded transaction; the chain still mines nothing, so after a second it raises the fee at the same nonce.
      RootPoster poster = new RootPoster(lakehouse, chain, deployment.distributor(), new JournaledSender.Settings(1, Duration.ofSeconds(1), 5,
          Duration.ofSeconds(30)));
      CompletableFuture<RootPoster.Result> rerun = CompletableFuture.supplyAsync(() -> {
        try {
          return poster.propose(DAY, RootPoster.Funding.REFUSE);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      List<ChainTransactionRow> attempts = awaitAttempts(journal, deployment, chain, 2, null);
      assertEquals(attempts.get(0).nonce(), attempts.get(1).nonce(), "the replacement takes the same nonce");
      assertTrue(attempts.get(1).maxFeePerGasWei().compareTo(attempts.get(0).maxFeePerGasWei()) > 0, "and pays more");
      anvil.automine(true);
      anvil.mine();
      RootPoster.Result result = rerun.get(120, TimeUnit.SECONDS);

      assertEquals(RootPoster.Outcome.SENT, result.outcome());
      assertEquals(root, DistributorState.read(chain, deployment.distributor()).pending().orElseThrow().root());
      assertEquals(nonceBefore.add(BigInteger.ONE), chain.nonce(false), "one transaction of the proposer was mined");
      assertEquals(1, submissions(anvil, deployment.distributor(), deployedAt), "one RootSubmitted");
      List<ChainTransactionRow> all = journal.attempts(DAY, ChainAction.PROPOSE_ROOT, chain.chainId(), attempts.get(0).contract(), attempts.get(0).sender());
      long mined = 0;
      for (ChainTransactionRow a : all) {
        mined += chain.receipt(a.txHash()).isPresent() ? 1 : 0;
      }
      assertEquals(1, mined, "of " + all.size() + " recorded attempts at one nonce, one was mined");
      assertEquals(result.txHash(), new DistributionLedger(lakehouse).require(DAY).txHash());
      assertEquals(DistributionStatus.PROPOSED, new DistributionLedger(lakehouse).require(DAY).status());

      // Once more: nothing to do, nothing sent.
      assertEquals(RootPoster.Outcome.ALREADY_PENDING, poster.propose(DAY, RootPoster.Funding.REFUSE).outcome());
      assertEquals(nonceBefore.add(BigInteger.ONE), chain.nonce(true));
    }
  }

  @Test
  void aStuckTransactionStopsAfterItsReplacementsAndSaysSo() throws Exception {
    try (LocalAnvil anvil = LocalAnvil.start(Path.of("..").toAbsolutePath().normalize(), scratch)) {
      EvmClient chain = new EvmClient(anvil.web3, anvil.accounts.get(0), anvil.chainId, 50);
      DistributorDeployment deployment = DistributorDeployment.withTestToken(chain, DistributorDeployment.MIN_TIMELOCK, BigInteger.valueOf(10_000));
      lakehouse.append(Tables.EPOCH_REWARDS, List.of(RowFactory.create(Date.valueOf(DAY), anvil.accounts.get(1).getAddress(), "data", new BigDecimal(700))));
      new DistributionBuilder(lakehouse, scratch.resolve("dist").toString()).build(DAY, deployment.domain(chain), TokenUnits.WEI);
      anvil.automine(false);
      RootPoster poster = new RootPoster(lakehouse, chain, deployment.distributor(), new JournaledSender.Settings(1, Duration.ofMillis(300), 1,
          Duration.ofSeconds(5)));
      IOException stuck = assertThrows(IOException.class, () -> poster.propose(DAY, RootPoster.Funding.REFUSE));
      assertTrue(stuck.getMessage().contains("is still not mined after 2 attempt(s)") && stuck.getMessage().contains("nothing else was sent"),
          stuck.getMessage());
      anvil.automine(true);
      anvil.mine();
      assertEquals(RootPoster.Outcome.ALREADY_PENDING, poster.propose(DAY, RootPoster.Funding.REFUSE).outcome(), "the re-run finds it mined");
      assertEquals(DistributionStatus.PROPOSED, new DistributionLedger(lakehouse).require(DAY).status());
    }
  }

  private Process proposeInAnotherProcess(LocalAnvil anvil, String distributor) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.") || a.startsWith("-Dio.netty"))
        .forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ProposeProcess.class.getName(), lakehouse.root().toString(), anvil.url,
        Long.toString(anvil.chainId), distributor, DAY.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(scratch.resolve("child.log").toFile());
    pb.environment().put("PAYABLE_TEST_KEY", anvil.accounts.get(0).getEcKeyPair().getPrivateKey().toString(16));
    return pb.start();
  }

  private static List<ChainTransactionRow> awaitAttempts(TransactionJournal journal, DistributorDeployment deployment, EvmClient chain, int count, Process child)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      List<ChainTransactionRow> rows = journal.attempts(DAY, ChainAction.PROPOSE_ROOT, chain.chainId(),
          Address.parse(deployment.distributor()).checksummed(), Address.parse(chain.from()).checksummed());
      if (rows.size() >= count) {
        return rows;
      }
      if (child != null && !child.isAlive()) {
        throw new AssertionError("the proposing process ended before recording its transaction (exit " + child.exitValue() + ")");
      }
      assertTrue(System.nanoTime() < deadline, "waited 180 s for " + count + " recorded transaction(s), found " + rows.size());
      Thread.sleep(200);
    }
  }

  private static long submissions(LocalAnvil anvil, String distributor, long fromBlock) throws IOException {
    EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(fromBlock), DefaultBlockParameterName.LATEST, distributor);
    filter.addSingleTopic(EventEncoder.encode(RewardsDistributor.ROOTSUBMITTED_EVENT));
    return anvil.web3.ethGetLogs(filter).send().getLogs().size();
  }
}
