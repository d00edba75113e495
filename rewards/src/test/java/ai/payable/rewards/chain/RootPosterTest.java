package ai.payable.rewards.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.distribution.DistributionBuilder;
import ai.payable.rewards.distribution.DistributionLedger;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

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
  void proposeIsIdempotentAndRefusesConflicts() throws Exception {
    try (LocalAnvil anvil = LocalAnvil.start(Path.of("..").toAbsolutePath().normalize(), scratch)) {
      EvmClient chain = new EvmClient(anvil.web3, anvil.accounts.get(0), anvil.chainId, 50);
      DistributorDeployment deployment = DistributorDeployment.withTestToken(chain, 600, BigInteger.valueOf(10_000));
      DistributionBuilder builder = new DistributionBuilder(lakehouse, scratch.resolve("dist").toString());
      RootPoster poster = new RootPoster(new DistributionLedger(lakehouse), chain, deployment.distributor(), 0);
      RewardsDistributor d = chain.distributor(deployment.distributor());
      reward(DAY1, anvil.accounts.get(1).getAddress(), 700);
      reward(DAY1, anvil.accounts.get(2).getAddress(), 300);
      String root = builder.build(DAY1).root();

      RootPoster.Result sent = poster.propose(DAY1, false);
      assertEquals(RootPoster.Outcome.SENT, sent.outcome());
      assertEquals("proposed", status(DAY1));
      long blocks = anvil.web3.ethBlockNumber().send().getBlockNumber().longValue();
      RootPoster.Result again = poster.propose(DAY1, false);
      assertEquals(RootPoster.Outcome.ALREADY_PENDING, again.outcome());
      assertEquals(sent.txHash(), again.txHash());
      assertEquals(blocks, anvil.web3.ethBlockNumber().send().getBlockNumber().longValue(), "nothing may be sent twice");

      anvil.increaseTime(601);
      chain.execute(deployment.distributor(), d.acceptRoot());
      assertEquals(RootPoster.Outcome.ALREADY_ACCEPTED, poster.propose(DAY1, false).outcome());
      assertEquals("accepted", status(DAY1));
      assertEquals(root, lakehouse.read(Tables.DISTRIBUTIONS).where("epoch = '" + DAY1 + "'").first().getAs("root"));

      // Someone put a different root for day 2 on-chain: ours is refused, nothing is sent.
      reward(DAY2, anvil.accounts.get(1).getAddress(), 50);
      builder.build(DAY2);
      chain.execute(deployment.distributor(), d.submitRoot(Keccak.hash("other"), BigInteger.valueOf(DAY2.toEpochDay()), new byte[32]));
      IllegalStateException conflict = assertThrows(IllegalStateException.class, () -> poster.propose(DAY2, false));
      assertTrue(conflict.getMessage().contains("is pending on-chain with root"), conflict.getMessage());
      assertEquals("built", status(DAY2));
    }
  }
}
