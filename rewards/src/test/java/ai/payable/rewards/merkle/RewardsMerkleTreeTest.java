package ai.payable.rewards.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.identity.Address;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardsMerkleTreeTest {

  /** Base's chain id and made-up contracts: a domain like a production one. */
  static final ClaimDomain DOMAIN = ClaimDomain.of(8453, "0x5555555555555555555555555555555555555555", "0x4444444444444444444444444444444444444444");

  @TempDir Path dir;

  private static CumulativeBalance balance(String account, String amount) {
    return new CumulativeBalance(Address.parse(account), new BigInteger(amount));
  }

  @Test
  void matchesOpenZeppelinsLibraryOnAFixedVector() {
    // The balances of @openzeppelin/merkle-tree's README example in DOMAIN; the root is what
    // StandardMerkleTree.of(values, ["address","uint256","address","address","uint256"]).root gives (v1.0.8).
    RewardsMerkleTree tree = RewardsMerkleTree.of(DOMAIN, List.of(
        balance("0x1111111111111111111111111111111111111111", "5000000000000000000"),
        balance("0x2222222222222222222222222222222222222222", "2500000000000000000")));
    assertEquals("0x4d1397559aabcb79becc69c3ac18c775680354f214ab23ed218285db99d90ebb", tree.root());
  }

  @Test
  void leavesBindTheirChainDistributorAndToken() {
    List<CumulativeBalance> balances = random(9, 3);
    RewardsMerkleTree tree = RewardsMerkleTree.of(DOMAIN, balances);
    List<ClaimDomain> elsewhere = List.of(
        new ClaimDomain(1, DOMAIN.distributor(), DOMAIN.token()),
        new ClaimDomain(DOMAIN.chainId(), Address.parse("0x6666666666666666666666666666666666666666"), DOMAIN.token()),
        new ClaimDomain(DOMAIN.chainId(), DOMAIN.distributor(), Address.parse("0x7777777777777777777777777777777777777777")));
    for (ClaimDomain other : elsewhere) {
      assertFalse(RewardsMerkleTree.verify(tree.root(), other, balances.get(0), tree.proof(0)), other.toString());
      assertFalse(RewardsMerkleTree.of(other, balances).root().equals(tree.root()), other.toString());
    }
    assertTrue(RewardsMerkleTree.verify(tree.root(), DOMAIN, balances.get(0), tree.proof(0)));
  }

  @Test
  void proofsVerifyAndTamperingFails() {
    List<CumulativeBalance> balances = random(37, 1);
    RewardsMerkleTree tree = RewardsMerkleTree.of(DOMAIN, balances);
    for (int i = 0; i < balances.size(); i++) {
      assertTrue(RewardsMerkleTree.verify(tree.root(), DOMAIN, balances.get(i), tree.proof(i)), "leaf " + i);
    }
    CumulativeBalance first = balances.get(0);
    assertFalse(RewardsMerkleTree.verify(tree.root(), DOMAIN, new CumulativeBalance(first.account(), first.cumulativeWei().add(BigInteger.ONE)), tree.proof(0)));
    assertFalse(RewardsMerkleTree.verify(tree.root(), DOMAIN, balances.get(1), tree.proof(0)));
    assertThrows(IllegalArgumentException.class, () -> RewardsMerkleTree.of(DOMAIN, List.of(first, first)));
    assertThrows(IllegalArgumentException.class, () -> RewardsMerkleTree.of(DOMAIN, List.of()));
  }

  @Test
  void randomTreesLoadAndVerifyInOpenZeppelinsLibrary() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    assertTrue(Files.isDirectory(repo.resolve("node_modules/@openzeppelin/merkle-tree")),
        "@openzeppelin/merkle-tree is not installed: run `npm ci` in " + repo + " (make test does)");
    ObjectMapper json = new ObjectMapper();
    for (int size : new int[] {1, 2, 3, 64, 257}) {
      RewardsMerkleTree tree = RewardsMerkleTree.of(DOMAIN, random(size, size));
      Path out = dir.resolve("d" + size);
      DistributionFiles.write(tree, out);
      Process node = new ProcessBuilder("node", "rewards/src/test/js/verify-with-openzeppelin.mjs", out.toString())
          .directory(repo.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String result = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(node.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, node.exitValue(), result);
      JsonNode r = json.readTree(result);
      assertEquals(tree.root(), r.get("root").asText(), "size " + size);
      assertEquals(tree.root(), r.get("rebuiltRoot").asText(), "size " + size);
      assertEquals(tree.root(), r.get("proofsRoot").asText(), "size " + size);
      assertEquals(size, r.get("verified").asInt(), "size " + size);
      assertEquals(0, r.get("failed").asInt(), "size " + size);
    }
  }

  @Test
  void csvRowsAreCheckedWithTheirLineNumbers() throws Exception {
    Path ok = Files.writeString(dir.resolve("ok.csv"),
        "account,cumulative_wei\n0x1111111111111111111111111111111111111111,5000000000000000000\n0x2222222222222222222222222222222222222222,2500000000000000000\n");
    assertEquals("0x4d1397559aabcb79becc69c3ac18c775680354f214ab23ed218285db99d90ebb",
        RewardsMerkleTree.of(DOMAIN, BalancesCsv.read(ok)).root());
    assertCsvError("account,cumulative_wei\n0x11,5\n", ":2: account: address '0x11' has 2 hex digits, expected 40");
    assertCsvError("account,cumulative_wei\n0x1111111111111111111111111111111111111111,-5\n", ":2: cumulative_wei '-5' is not a non-negative integer");
    assertCsvError("account,cumulative_wei\n0x1111111111111111111111111111111111111111,1.5\n", ":2: cumulative_wei '1.5' is not a non-negative integer");
    assertCsvError("account,cumulative_wei\n0x1111111111111111111111111111111111111111,1\n0x1111111111111111111111111111111111111111,2\n",
        ":3: account 0x1111111111111111111111111111111111111111 already appears on line 2");
    assertCsvError("addr,amount\n", ":1: expected the header 'account,cumulative_wei', got 'addr,amount'");
  }

  private void assertCsvError(String content, String expectedSuffix) throws Exception {
    Path f = Files.writeString(dir.resolve("bad.csv"), content);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BalancesCsv.read(f));
    assertEquals(f + expectedSuffix, e.getMessage());
  }

  private static List<CumulativeBalance> random(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<CumulativeBalance> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] a = new byte[20];
      random.nextBytes(a);
      BigInteger amount = new BigInteger(1 + random.nextInt(120), new java.util.Random(random.nextLong()));
      out.add(new CumulativeBalance(new Address(ai.payable.core.crypto.Hex.encode(a)), amount));
    }
    return out;
  }
}
