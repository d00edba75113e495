package ai.payable.rewards.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.money.TokenUnits;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.rewards.merkle.BalancesCsv;
import ai.payable.rewards.merkle.ClaimDomain;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class DistributionBuilderTest extends SparkTestBase {

  private static final String ALICE = "0x1111111111111111111111111111111111111111";
  private static final String BOB = "0x2222222222222222222222222222222222222222";
  private static final String TREASURY = "0x3333333333333333333333333333333333333333";
  private static final LocalDate DAY1 = LocalDate.parse("2026-11-23");
  private static final LocalDate DAY2 = LocalDate.parse("2026-11-24");
  private static final ClaimDomain DOMAIN = ClaimDomain.of(8453, "0x5555555555555555555555555555555555555555", "0x4444444444444444444444444444444444444444");

  private void reward(LocalDate epoch, String account, String role, long wei) {
    Row row = RowFactory.create(Date.valueOf(epoch), account, role, new BigDecimal(wei));
    lakehouse.ensure(Tables.EPOCH_REWARDS);
    spark().createDataFrame(List.of(row), Tables.EPOCH_REWARDS.schema()).write().format("delta").mode("append")
        .save(lakehouse.path(Tables.EPOCH_REWARDS));
  }

  @Test
  void cumulativeBalancesAreCheckedAndRebuildsAreIdentical() throws Exception {
    DistributionBuilder builder = new DistributionBuilder(lakehouse, scratch.resolve("dist").toString());
    reward(DAY1, ALICE, "data", 700);
    reward(DAY1, BOB, "data", 200);
    reward(DAY1, TREASURY, "protocol", 100);
    DistributionBuilder.Distribution d1 = builder.build(DAY1, DOMAIN, TokenUnits.WEI);
    RewardsMerkleTree expected = RewardsMerkleTree.of(DOMAIN, List.of(
        new CumulativeBalance(Address.parse(ALICE), BigInteger.valueOf(700)),
        new CumulativeBalance(Address.parse(BOB), BigInteger.valueOf(200)),
        new CumulativeBalance(Address.parse(TREASURY), BigInteger.valueOf(100))));
    assertEquals(expected.root(), d1.root());
    assertEquals(BigInteger.valueOf(1000), d1.epochTotal());
    assertEquals(expected.root(), RewardsMerkleTree.of(DOMAIN, BalancesCsv.read(Path.of(d1.location()).resolve(DistributionBuilder.BALANCES))).root());

    reward(DAY2, ALICE, "data", 50);
    reward(DAY2, BOB, "model_builder", 25);
    // Day 1 was published for DOMAIN's distributor: paying day 2 on another would pay day 1's claims twice.
    ClaimDomain redeployed = new ClaimDomain(DOMAIN.chainId(), Address.parse("0x6666666666666666666666666666666666666666"), DOMAIN.token());
    IllegalStateException moved = assertThrows(IllegalStateException.class, () -> builder.build(DAY2, redeployed, TokenUnits.WEI));
    assertTrue(moved.getMessage().contains("would pay those claims twice"), moved.getMessage());
    DistributionBuilder.Distribution d2 = builder.build(DAY2, DOMAIN, TokenUnits.WEI);
    assertEquals(BigInteger.valueOf(1075), d2.cumulativeTotal());
    assertEquals(BigInteger.valueOf(75), d2.epochTotal());
    String tree = Files.readString(Path.of(d2.location()).resolve("tree.json"));
    assertEquals(d2.root(), builder.build(DAY2, DOMAIN, TokenUnits.WEI).root());
    assertEquals(tree, Files.readString(Path.of(d2.location()).resolve("tree.json")));
    assertEquals(2, lakehouse.read(Tables.DISTRIBUTIONS).count());

    // Day 1's rewards are rewritten after publication: day 2 no longer adds up.
    lakehouse.ensure(Tables.EPOCH_REWARDS).delete("epoch = '2026-11-23' AND account = '" + BOB + "'");
    IllegalStateException drop = assertThrows(IllegalStateException.class, () -> builder.build(DAY2, DOMAIN, TokenUnits.WEI));
    assertTrue(drop.getMessage().contains("would drop from 200 to 25 wei since 2026-11-23"), drop.getMessage());

    // Once day 2 is proposed on-chain, a different root for it is refused outright.
    reward(DAY1, BOB, "data", 200);
    lakehouse.ensure(Tables.DISTRIBUTIONS).updateExpr("epoch = '2026-11-24'", java.util.Map.of("status", "'proposed'"));
    reward(DAY2, ALICE, "data", 1);
    IllegalStateException changed = assertThrows(IllegalStateException.class, () -> builder.build(DAY2, DOMAIN, TokenUnits.WEI));
    assertTrue(changed.getMessage().startsWith("epoch 2026-11-24 was already proposed with root " + d2.root()), changed.getMessage());
  }
}
