package ai.payable.rewards.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A local EVM for tests, benchmarks and the demo: {@code anvil} from npm
 * ({@code @foundry-rs/anvil-linux-amd64}, pinned) on 127.0.0.1 and a free port. Its funded dev
 * accounts are read from the config file anvil writes, so no key is written down in the project.
 */
public final class LocalAnvil implements AutoCloseable {

  /** JSON-RPC client of the node. */
  public final Web3j web3;
  /** The node's URL. */
  public final String url;
  /** The node's chain id. */
  public final long chainId;
  /** Funded dev accounts. */
  public final List<Credentials> accounts = new ArrayList<>();
  private final Process process;

  private LocalAnvil(Process process, String url, long chainId, Web3j web3) {
    this.process = process;
    this.url = url;
    this.chainId = chainId;
    this.web3 = web3;
  }

  /**
   * Starts anvil from {@code repo}'s node_modules, writing its config and log under {@code scratch}.
   *
   * @throws IllegalStateException when anvil is not installed or does not answer within 30 s
   */
  public static LocalAnvil start(Path repo, Path scratch) throws IOException, InterruptedException {
    Path binary = repo.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("anvil is not installed: run `npm ci` in " + repo + " (make test does)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = scratch.resolve("anvil-" + port + ".json");
    Process p = new ProcessBuilder(binary.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
            "--accounts", "6", "--config-out", config.toString(), "--silent")
        .redirectErrorStream(true).redirectOutput(scratch.resolve("anvil-" + port + ".log").toFile()).start();
    String url = "http://127.0.0.1:" + port;
    Web3j web3 = Web3j.build(new HttpService(url));
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        long chainId = web3.ethChainId().send().getChainId().longValue();
        LocalAnvil anvil = new LocalAnvil(p, url, chainId, web3);
        JsonNode keys = new ObjectMapper().readTree(config.toFile()).get("private_keys");
        keys.forEach(k -> anvil.accounts.add(Credentials.create(k.asText())));
        return anvil;
      } catch (IOException notYet) {
        if (!p.isAlive() || System.currentTimeMillis() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException("anvil did not start on " + url, notYet);
        }
        Thread.sleep(100);
      }
    }
  }

  /** Moves the chain's clock forward and mines a block. */
  public void increaseTime(long seconds) throws IOException {
    dev().advance(java.time.Duration.ofSeconds(seconds));
  }

  /** Mines one block now. */
  public void mine() throws IOException {
    dev().mine();
  }

  /** Turns mining on arrival on or off; off, transactions wait in the mempool until {@link #mine}. */
  public void automine(boolean on) throws IOException {
    dev().automine(on);
  }

  /** Lets a page's wallet send from {@code account} without its key, with one ether for gas. */
  public void impersonate(String account) throws IOException {
    dev().impersonate(account, java.math.BigInteger.TEN.pow(18));
  }

  private DevChain dev() throws IOException {
    return DevChain.detect(web3, url).orElseThrow();
  }

  @Override
  public void close() {
    web3.shutdown();
    process.destroy();
  }
}
