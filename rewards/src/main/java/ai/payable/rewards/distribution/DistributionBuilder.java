package ai.payable.rewards.distribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.catalog.Tables;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.failpoint.Failpoint;
import ai.payable.core.identity.Address;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.TokenUnits;
import ai.payable.rewards.merkle.BalancesCsv;
import ai.payable.rewards.merkle.ClaimDomain;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.DistributionFiles;
import ai.payable.rewards.merkle.DistributionManifest;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/**
 * Turns {@code epoch_rewards} into an epoch's distribution: everyone's cumulative balance up to and
 * including the epoch, checked against the previous distribution before anything is published:
 * no balance decreases, the increases add up to exactly the epoch's rewards, and an epoch already
 * proposed on-chain is never rebuilt into a different root.
 */
public final class DistributionBuilder {

  /** Published next to the tree so anyone can rebuild the root with {@code payable rewards tree}. */
  public static final String BALANCES = "balances.csv";

  private final Lakehouse lakehouse;
  private final ArtifactStore artifacts;

  /**
   * @param artifacts where each epoch's files go, in a folder named by the epoch: a directory or a
   *     URI such as {@code s3a://bucket/distributions}
   */
  public DistributionBuilder(Lakehouse lakehouse, String artifacts) {
    this.lakehouse = lakehouse;
    this.artifacts = ArtifactStore.at(artifacts, lakehouse.spark().sparkContext().hadoopConfiguration());
  }

  /** What was built; {@code location} is the published folder. */
  public record Distribution(LocalDate epoch, String root, long accounts, BigInteger cumulativeTotal, BigInteger epochTotal, URI location, String contentHash) {}

  /**
   * Builds (or rebuilds, identically) the distribution of {@code epoch}, claimable in {@code domain};
   * {@code token} goes into its {@code distribution.json} so that readers of the published files
   * see token units.
   *
   * @throws IllegalStateException when the previous distribution was for another domain: its claims
   *     are not known to this distributor, and cumulative balances would pay them twice
   */
  public Distribution build(LocalDate epoch, ClaimDomain domain, TokenUnits token) throws IOException {
    Map<String, BigInteger> cumulative = new HashMap<>();
    for (Row r : lakehouse.read(Tables.EPOCH_REWARDS)
        .where(col("epoch").leq(lit(Date.valueOf(epoch))))
        .groupBy("account").agg(sum("amount_wei").as("total")).collectAsList()) {
      cumulative.put(Address.parse(r.getString(0)).value(), ((BigDecimal) r.get(1)).toBigIntegerExact());
    }
    BigInteger epochTotal = lakehouse.read(Tables.EPOCH_REWARDS).where(col("epoch").equalTo(lit(Date.valueOf(epoch))))
        .agg(sum("amount_wei")).collectAsList().stream()
        .map(r -> r.isNullAt(0) ? BigInteger.ZERO : ((BigDecimal) r.get(0)).toBigIntegerExact()).findFirst().orElse(BigInteger.ZERO);
    if (cumulative.isEmpty()) {
      throw new IllegalStateException("no rewards up to epoch " + epoch + " in epoch_rewards; run the attribution for that epoch first");
    }
    List<CumulativeBalance> balances = new ArrayList<>();
    cumulative.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> balances.add(new CumulativeBalance(Address.parse(e.getKey()), e.getValue())));

    DistributionLedger ledger = new DistributionLedger(lakehouse);
    Optional<DistributionRow> previous = ledger.previous(epoch);
    if (previous.isPresent()) {
      String folder = previous.get().artifactUri();
      Configuration hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
      ClaimDomain before = DistributionManifest.read(ArtifactStore.open(folder, DistributionManifest.FILE, hadoop), folder + "/" + DistributionManifest.FILE).domain();
      if (!before.equals(domain)) {
        throw new IllegalStateException("epoch " + epoch + " would be paid by " + domain + ", but the previous distribution (" + previous.get().epoch()
            + ") was for " + before + ". Balances are cumulative and the new distributor knows nothing claimed on the old one, so it would pay "
            + "those claims twice; build with the distributor of " + previous.get().epoch() + " (--distributor, --rpc, --chain-id)");
      }
      List<CumulativeBalance> balancesBefore = BalancesCsv.read(ArtifactStore.open(folder, BALANCES, hadoop), folder + "/" + BALANCES);
      checkAgainstPrevious(epoch, balances, epochTotal, balancesBefore, previous.get().epoch());
    } else {
      BigInteger total = balances.stream().map(CumulativeBalance::cumulativeWei).reduce(BigInteger.ZERO, BigInteger::add);
      if (!total.equals(epochTotal)) {
        throw new IllegalStateException("first distribution " + epoch + ": balances sum to " + total
            + " wei but the epoch's rewards are " + epochTotal + " wei; earlier epochs have rewards but no distribution");
      }
    }

    RewardsMerkleTree tree = RewardsMerkleTree.of(domain, balances);
    Optional<DistributionRow> existing = ledger.find(epoch);
    if (existing.isPresent() && existing.get().status() != DistributionStatus.BUILT && !existing.get().root().equals(tree.root())) {
      throw new IllegalStateException("epoch " + epoch + " was already " + existing.get().status().value() + " with root "
          + existing.get().root() + "; rebuilding it gives " + tree.root() + ". The epoch's rewards changed after publication: investigate before proposing anything");
    }
    Path dir = artifacts.isLocal() ? artifacts.localFolder(epoch.toString()) : Files.createTempDirectory("distribution-" + epoch);
    DistributionFiles.write(tree, dir);
    BalancesCsv.write(balances, dir.resolve(BALANCES));
    BigInteger cumulativeTotal = balances.stream().map(CumulativeBalance::cumulativeWei).reduce(BigInteger.ZERO, BigInteger::add);
    new DistributionManifest(epoch, tree.root(), domain, balances.size(), cumulativeTotal, epochTotal,
        previous.map(DistributionRow::epoch).orElse(null), token).write(dir);
    String contentHash = Keccak.hex(Files.readAllBytes(dir.resolve(DistributionFiles.TREE)));
    URI location = artifacts.isLocal() ? dir.toUri() : artifacts.publishStaged(epoch.toString(), dir);
    // A rebuild of the same root keeps its on-chain status, transaction and report; another root's report is not this one's.
    ledger.put(new DistributionRow(epoch, tree.root(), balances.size(), cumulativeTotal, epochTotal, artifacts.folder(epoch.toString()).toString(),
        contentHash, existing.map(DistributionRow::status).orElse(DistributionStatus.BUILT), existing.map(DistributionRow::txHash).orElse(null), Instant.now(),
        existing.filter(e -> e.root().equals(tree.root())).map(DistributionRow::reportUri).orElse(null)));
    Failpoint.DISTRIBUTION_RECORDED.reach();
    return new Distribution(epoch, tree.root(), balances.size(), cumulativeTotal, epochTotal, location, contentHash);
  }

  private static void checkAgainstPrevious(LocalDate epoch, List<CumulativeBalance> balances, BigInteger epochTotal, List<CumulativeBalance> previous,
      LocalDate previousEpoch) {
    Map<String, BigInteger> before = new HashMap<>();
    for (CumulativeBalance b : previous) {
      before.put(b.account().value(), b.cumulativeWei());
    }
    BigInteger increases = BigInteger.ZERO;
    for (CumulativeBalance b : balances) {
      BigInteger was = before.remove(b.account().value());
      BigInteger delta = b.cumulativeWei().subtract(was == null ? BigInteger.ZERO : was);
      if (delta.signum() < 0) {
        throw new IllegalStateException("epoch " + epoch + ": " + b.account().checksummed() + " would drop from " + was + " to "
            + b.cumulativeWei() + " wei since " + previousEpoch + "; cumulative balances never decrease");
      }
      increases = increases.add(delta);
    }
    if (!before.isEmpty()) {
      throw new IllegalStateException("epoch " + epoch + ": " + before.size() + " account(s) of " + previousEpoch + " are missing, e.g. " + before.keySet().iterator().next());
    }
    if (!increases.equals(epochTotal)) {
      throw new IllegalStateException("epoch " + epoch + ": balances grew by " + increases + " wei since " + previousEpoch
          + " but the epoch's rewards are " + epochTotal + " wei; an epoch between them was changed or skipped");
    }
  }
}
