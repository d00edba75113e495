package ai.payable.rewards.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.money.TokenUnits;
import ai.payable.core.retry.RetryPolicy;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.rewards.chain.binding.TestToken;
import ai.payable.rewards.distribution.DistributionBuilder;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.merkle.ClaimDomain;
import ai.payable.rewards.merkle.ClaimProof;
import ai.payable.rewards.merkle.DistributionFiles;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * Two epochs from rewards to tokens on a real EVM: funding checked (and topped up) before each
 * proposal, acceptance only after the timelock, cumulative claims paying only the increase, and
 * a claim sent through a node that fails every other request.
 */
class DistributionLifecycleTest extends SparkTestBase {

  private static final LocalDate DAY1 = LocalDate.parse("2026-11-23");
  private static final LocalDate DAY2 = LocalDate.parse("2026-11-24");
  private static final Duration TIMELOCK = Duration.ofHours(1);

  private void reward(LocalDate epoch, String account, long wei) {
    Row row = RowFactory.create(Date.valueOf(epoch), account, "data", new BigDecimal(wei));
    lakehouse.ensure(Tables.EPOCH_REWARDS);
    spark().createDataFrame(List.of(row), Tables.EPOCH_REWARDS.schema()).write().format("delta").mode("append")
        .save(lakehouse.path(Tables.EPOCH_REWARDS));
  }

  private ClaimProof proofOf(LocalDate epoch, String account) throws Exception {
    String folder = new DistributionLedger(lakehouse).require(epoch).artifactUri();
    return ClaimProof.find(ArtifactStore.open(folder, DistributionFiles.PROOFS, spark().sparkContext().hadoopConfiguration()),
        Address.parse(account), folder).orElseThrow();
  }

  private static BigInteger wei(long amount) {
    return BigInteger.valueOf(amount);
  }

  @Test
  void twoEpochsFromRewardsToTokens() throws Exception {
    try (LocalAnvil anvil = LocalAnvil.start(Path.of("..").toAbsolutePath().normalize(), scratch)) {
      Credentials admin = anvil.accounts.get(0);
      EvmClient chain = new EvmClient(anvil.web3, admin, anvil.chainId, 50);
      DistributorDeployment deployment = DistributorDeployment.withTestToken(chain, TIMELOCK, wei(500));
      String distributor = deployment.distributor();
      TestToken token = chain.testToken(deployment.token());
      DistributionLedger ledger = new DistributionLedger(lakehouse);
      DistributionBuilder builder = new DistributionBuilder(lakehouse, scratch.resolve("dist").toString());
      RootPoster poster = new RootPoster(lakehouse, chain, distributor, JournaledSender.Settings.DEFAULT);
      ClaimDomain domain = deployment.domain(chain);
      RootAcceptance acceptance = new RootAcceptance(ledger, chain, distributor);
      String alice = anvil.accounts.get(1).getAddress();
      String bob = anvil.accounts.get(2).getAddress();
      String carol = anvil.accounts.get(3).getAddress();

      reward(DAY1, alice, 700);
      reward(DAY1, bob, 300);
      builder.build(DAY1, domain, TokenUnits.WEI);
      long blocks = anvil.web3.ethBlockNumber().send().getBlockNumber().longValue();
      IllegalStateException unfunded = assertThrows(IllegalStateException.class, () -> poster.propose(DAY1, RootPoster.Funding.REFUSE));
      assertTrue(unfunded.getMessage().contains("holds 500 wei") && unfunded.getMessage().contains("send it 500 wei more"), unfunded.getMessage());
      assertEquals(blocks, anvil.web3.ethBlockNumber().send().getBlockNumber().longValue(), "nothing may be sent");
      chain.execute(deployment.token(), token.mint(admin.getAddress(), wei(10_000)));
      RootPoster.Result proposed = poster.propose(DAY1, RootPoster.Funding.FROM_PROPOSER);
      assertEquals(RootPoster.Outcome.SENT, proposed.outcome());
      assertEquals(wei(500), proposed.toppedUp());
      assertEquals(wei(1000), chain.read(token.balanceOf(distributor)));

      IllegalStateException early = assertThrows(IllegalStateException.class, acceptance::accept);
      assertTrue(early.getMessage().contains("becomes acceptable at"), early.getMessage());
      anvil.increaseTime(TIMELOCK.toSeconds());
      RootAcceptance.Result accepted = acceptance.accept();
      assertEquals(DAY1, accepted.pending().orElseThrow().epoch());
      assertTrue(accepted.recorded());
      assertEquals(DistributionStatus.ACCEPTED, ledger.require(DAY1).status());
      assertEquals(accepted.txHash(), ledger.require(DAY1).txHash());
      assertTrue(acceptance.accept().pending().isEmpty(), "nothing left to accept");

      ContributorClaim claims = new ContributorClaim(chain, distributor);
      ContributorClaim.Quote quote = claims.quote(proofOf(DAY1, alice));
      assertTrue(quote.current());
      assertEquals(wei(700), quote.claimable());
      assertEquals(wei(700), claims.send(proofOf(DAY1, alice)).amount());
      assertEquals(wei(700), chain.read(token.balanceOf(alice)));
      IllegalStateException twice = assertThrows(IllegalStateException.class, () -> claims.send(proofOf(DAY1, alice)));
      assertTrue(twice.getMessage().contains("already claimed its 700 wei"), twice.getMessage());

      // Day 2: the distributor owes 1075 − 700 claimed = 375 but holds 300.
      reward(DAY2, alice, 50);
      reward(DAY2, carol, 25);
      builder.build(DAY2, domain, TokenUnits.WEI);
      IllegalStateException shortBy75 = assertThrows(IllegalStateException.class, () -> poster.propose(DAY2, RootPoster.Funding.REFUSE));
      assertTrue(shortBy75.getMessage().contains("send it 75 wei more"), shortBy75.getMessage());
      // Day 2 is funded from a treasury account that approved the proposer: exactly the shortfall moves.
      Credentials treasury = anvil.accounts.get(5);
      chain.execute(deployment.token(), token.mint(treasury.getAddress(), wei(1_000)));
      RootPoster.Funding fromTreasury = new RootPoster.Funding(true, Optional.of(treasury.getAddress()));
      IllegalStateException notApproved = assertThrows(IllegalStateException.class, () -> poster.propose(DAY2, fromTreasury));
      assertTrue(notApproved.getMessage().contains("allows the proposer " + admin.getAddress() + " to move only 0"), notApproved.getMessage());
      EvmClient treasuryKey = new EvmClient(anvil.web3, treasury, anvil.chainId, 50);
      treasuryKey.execute(deployment.token(), treasuryKey.erc20(deployment.token()).approve(admin.getAddress(), wei(500)));
      assertEquals(wei(75), poster.propose(DAY2, fromTreasury).toppedUp());
      assertEquals(wei(925), chain.read(token.balanceOf(treasury.getAddress())));
      IllegalStateException stale = assertThrows(IllegalStateException.class, () -> claims.send(proofOf(DAY2, alice)));
      assertTrue(stale.getMessage().contains("but the distributor's accepted root is"), stale.getMessage());
      anvil.increaseTime(TIMELOCK.toSeconds());
      acceptance.accept();
      assertEquals(wei(50), claims.send(proofOf(DAY2, alice)).amount(), "alice is paid only the increase");
      assertEquals(wei(300), claims.send(proofOf(DAY2, bob)).amount(), "bob takes both days at once");

      // Carol claims through a node that answers every other request with 503.
      AtomicInteger failures = new AtomicInteger();
      HttpServer flaky = flakyProxy(anvil.url, failures);
      try (ChainConnection shaky = ChainConnection.open("http://127.0.0.1:" + flaky.getAddress().getPort(), anvil.chainId,
          new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(50)))) {
        EvmClient viaProxy = new EvmClient(shaky, anvil.accounts.get(4), 50);
        assertEquals(wei(25), new ContributorClaim(viaProxy, distributor).send(proofOf(DAY2, carol)).amount());
      } finally {
        flaky.stop(0);
      }
      assertTrue(failures.get() >= 5, "the proxy failed " + failures.get() + " requests");
      assertEquals(wei(25), chain.read(token.balanceOf(carol)), "paid exactly once despite retried sends");

      DistributorState state = DistributorState.read(chain, distributor);
      assertEquals(DAY2, state.epoch().orElseThrow());
      assertEquals(wei(1075), state.totalClaimed());
      assertEquals(BigInteger.ZERO, state.balance());
      assertTrue(state.pending().isEmpty());
    }
  }

  @Test
  void unreachableNodeFailsWithWhatToCheck() {
    java.io.IOException down = assertThrows(java.io.IOException.class, () -> ChainConnection.open("http://127.0.0.1:9", 1,
        new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1))));
    assertTrue(down.getMessage().contains("cannot reach the JSON-RPC node at http://127.0.0.1:9"), down.getMessage());
  }

  /** Forwards JSON-RPC to {@code upstream}, answering every other request 503 instead. */
  private static HttpServer flakyProxy(String upstream, AtomicInteger failures) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (requests.incrementAndGet() % 2 == 1) {
        failures.incrementAndGet();
        exchange.sendResponseHeaders(503, -1);
        exchange.close();
        return;
      }
      try {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(upstream)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(r.statusCode(), r.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(r.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        exchange.close();
      }
    });
    server.start();
    return server;
  }
}
