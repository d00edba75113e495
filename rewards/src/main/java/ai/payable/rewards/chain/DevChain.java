package ai.payable.rewards.chain;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * A local development node (anvil, Hardhat Network, Ganache). Its clock is the latest block's
 * time, and an idle node mines no block, so a timelock on it never ends by waiting: time moves
 * only when someone mines a block or shifts the clock, which such nodes allow and real networks
 * do not.
 */
public final class DevChain {

  private static final List<String> CLIENTS = List.of("anvil", "hardhat", "ganache");

  private final String url;
  private final String client;

  private DevChain(String url, String client) {
    this.url = url;
    this.client = client;
  }

  /** The node at {@code url} if its {@code web3_clientVersion} names a development node, else empty. */
  public static Optional<DevChain> detect(Web3j web3, String url) throws IOException {
    String version = web3.web3ClientVersion().send().getWeb3ClientVersion();
    String lower = version == null ? "" : version.toLowerCase(Locale.ROOT);
    return CLIENTS.stream().anyMatch(lower::startsWith) ? Optional.of(new DevChain(url, version)) : Optional.empty();
  }

  /** The node's {@code web3_clientVersion}, e.g. {@code anvil/v1.7.1}. */
  public String client() {
    return client;
  }

  /** Moves the chain's clock forward by {@code by} (whole seconds, rounded up) and mines a block at the new time. */
  public void advance(Duration by) throws IOException {
    long seconds = by.getSeconds() + (by.getNano() > 0 ? 1 : 0);
    call("evm_increaseTime", seconds);
    mine();
  }

  /** Mines one block now, with whatever the mempool holds. */
  public void mine() throws IOException {
    call("evm_mine");
  }

  /**
   * Whether each transaction is mined as it arrives (the default) or waits in the mempool until
   * {@link #mine}: off, the node behaves like a stalled or congested chain.
   */
  public void automine(boolean on) throws IOException {
    call("evm_setAutomine", on);
  }

  /**
   * Lets transactions be sent from {@code account} without its key ({@code eth_sendTransaction}),
   * with {@code balanceWei} of ether for gas: a browser wallet of any account, for tests of pages.
   */
  public void impersonate(String account, java.math.BigInteger balanceWei) throws IOException {
    String prefix = client.toLowerCase(Locale.ROOT).startsWith("hardhat") ? "hardhat_" : "anvil_";
    call(prefix + "impersonateAccount", account);
    call(prefix + "setBalance", account, "0x" + balanceWei.toString(16));
  }

  private void call(String method, Object... params) throws IOException {
    VoidResponse r = new Request<>(method, List.of(params), new HttpService(url), VoidResponse.class).send();
    if (r.hasError()) {
      throw new IOException(method + " failed on " + client + ": " + r.getError().getMessage());
    }
  }
}
