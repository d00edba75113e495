package ai.payable.rewards.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed artifacts (ABI + bytecode) are exactly what the pinned solc-js makes of the sources. */
class CompiledContractsTest {

  @TempDir Path out;

  @Test
  void committedArtifactsAreCurrent() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    assertTrue(Files.isDirectory(repo.resolve("node_modules/solc")), "solc is not installed: run `npm ci` in " + repo + " (make test does)");
    Process node = new ProcessBuilder("node", "rewards/contracts/compile.mjs", out.toString())
        .directory(repo.toFile()).redirectErrorStream(true).start();
    String log = new String(node.getInputStream().readAllBytes());
    assertTrue(node.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, node.exitValue(), log);
    assertEquals("", log.lines().filter(l -> !l.matches("\\w+: \\d+ bytes")).reduce("", String::concat), "compiler warnings");
    Path committed = repo.resolve("rewards/src/main/resources/ai/payable/rewards/contracts");
    for (String name : new String[] {"RewardToken.json", "RewardsDistributor.json", "TestToken.json"}) {
      assertEquals(Files.readString(committed.resolve(name)), Files.readString(out.resolve(name)),
          name + " is stale: run `make contracts` and commit the result");
    }
  }
}
