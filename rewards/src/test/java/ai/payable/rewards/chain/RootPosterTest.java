package ai.payable.rewards.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.money.TokenUnits;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.distribution.DistributionBuilder;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.merkle.ClaimDomain;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Proposing roots reads the chain first: re-running sends nothing, a conflicting root is refused. */
class RootPosterTest extends SparkTestBase {

  private static final LocalDate DAY1 = LocalDate.parse("2026-11-23");
  private static final LocalDate DAY2 = LocalDate.parse("2026-11-24");

  private void reward(LocalDate epoch, String account, long wei) {
    Row row = RowFactory.create(Date.valueOf(epoch), account, "data", new BigDecimal(wei));
    lakehouse.ensure(Tables.EPOCH_REWARDS);
    spark().createDataFrame(List.of(row), Tables.EPOCH_REWARDS.schema()).write().format("delta").mode("append")
        .save(lakehouse.path(Tables.EPOCH_REWARDS));
  }

  private String status(LocalDate epoch) {
    return lakehouse.read(Tables.DISTRIBUTIONS).where("epoch = '" + epoch + "'").first().getAs("status");
  }

  @Test
  void proposeIsIdempotentAndNeverReplacesAPendingRootImplicitly() throws Exception {
    try (LocalAnvil anvil = LocalAnvil.start(Path.of("..").toAbsolutePath().normalize(), scratch)) {
      EvmClient chain = new EvmClient(anvil.web3, anvil.accounts.get(0), anvil.chainId, 50);
      Duration timelock = DistributorDeployment.MIN_TIMELOCK;
      DistributorDeployment deployment = DistributorDeployment.withTestToken(chain, timelock, BigInteger.valueOf(10_000));
      ClaimDomain domain = deployment.domain(chain);
      DistributionBuilder builder = new DistributionBuilder(lakehouse, scratch.resolve("dist").toString());
      DistributionLedger ledger = new DistributionLedger(lakehouse);
      RootPoster poster = new RootPoster(lakehouse, chain, deployment.distributor(), JournaledSender.Settings.DEFAULT);
      RewardsDistributor d = chain.distributor(deployment.distributor());
      reward(DAY1, anvil.accounts.get(1).getAddress(), 700);
      reward(DAY1, anvil.accounts.get(2).getAddress(), 300);
      String root = builder.build(DAY1, domain, TokenUnits.WEI).root();

      RootPoster.Result sent = poster.propose(DAY1, RootPoster.Funding.REFUSE);
      assertEquals(RootPoster.Outcome.SENT, sent.outcome());
      assertEquals("proposed", status(DAY1));
      long blocks = anvil.web3.ethBlockNumber().send().getBlockNumber().longValue();
      RootPoster.Result again = poster.propose(DAY1, RootPoster.Funding.REFUSE);
      assertEquals(RootPoster.Outcome.ALREADY_PENDING, again.outcome());
      assertEquals(sent.txHash(), again.txHash());
      assertEquals(blocks, anvil.web3.ethBlockNumber().send().getBlockNumber().longValue(), "nothing may be sent twice");

      // Day 2 is built while day 1 still waits: proposing it must not silently drop day 1's root.
      reward(DAY2, anvil.accounts.get(1).getAddress(), 50);
      String root2 = builder.build(DAY2, domain, TokenUnits.WEI).root();
      IllegalStateException waiting = assertThrows(IllegalStateException.class, () -> poster.propose(DAY2, RootPoster.Funding.REFUSE));
      assertTrue(waiting.getMessage().contains("the root " + root + " of " + DAY1 + " is pending") && waiting.getMessage().contains("never replaced implicitly"),
          waiting.getMessage());
      assertEquals(blocks, anvil.web3.ethBlockNumber().send().getBlockNumber().longValue(), "nothing sent");

      anvil.increaseTime(timelock.toSeconds());
      new RootAcceptance(ledger, chain, deployment.distributor()).accept();
      assertEquals(RootPoster.Outcome.ALREADY_ACCEPTED, poster.propose(DAY1, RootPoster.Funding.REFUSE).outcome());
      assertEquals("accepted", status(DAY1));
      assertEquals(root, lakehouse.read(Tables.DISTRIBUTIONS).where("epoch = '" + DAY1 + "'").first().getAs("root"));

      // Someone put a different root for day 2 on-chain: ours is refused, nothing is sent, until replaced on purpose.
      chain.execute(deployment.distributor(), d.submitRoot(Keccak.hash("other"), BigInteger.valueOf(DAY2.toEpochDay()), new byte[32]));
      IllegalStateException conflict = assertThrows(IllegalStateException.class, () -> poster.propose(DAY2, RootPoster.Funding.REFUSE));
      assertTrue(conflict.getMessage().contains("never replaced implicitly"), conflict.getMessage());
      assertEquals("built", status(DAY2));
      RootPoster.Result replaced = poster.propose(DAY2, RootPoster.Funding.REFUSE, Optional.of("the pending root was not built by this lakehouse"));
      assertEquals(RootPoster.Outcome.REPLACED, replaced.outcome());
      assertEquals(Hex.encode(Keccak.hash("other")), replaced.replaced().orElseThrow().root());
      TransactionReceipt receipt = anvil.web3.ethGetTransactionReceipt(replaced.txHash()).send().getTransactionReceipt().orElseThrow();
      var dropped = RewardsDistributor.getPendingRootReplacedEvents(receipt);
      assertEquals(1, dropped.size(), "the replaced root is announced");
      assertEquals(Hex.encode(Keccak.hash("other")), Hex.encode(dropped.get(0).replacedRoot));
      assertEquals(root2, DistributorState.read(chain, deployment.distributor()).pending().orElseThrow().root());
      assertEquals("proposed", status(DAY2));

      // An epoch whose UTC day has not ended by the chain's clock is not proposed.
      LocalDate today = LocalDate.ofInstant(DistributorState.read(chain, deployment.distributor()).chainTime(), java.time.ZoneOffset.UTC);
      reward(today, anvil.accounts.get(2).getAddress(), 5);
      builder.build(today, domain, TokenUnits.WEI);
      IllegalStateException unfinished = assertThrows(IllegalStateException.class,
          () -> poster.propose(today, RootPoster.Funding.REFUSE, Optional.of("test")));
      assertTrue(unfinished.getMessage().contains("has not ended by the chain's clock"), unfinished.getMessage());
    }
  }
}
