package ai.payable.rewards.chain;

import ai.payable.core.money.TokenUnits;
import java.io.IOException;

/** The distributor's reward token as people read it: its ERC-20 {@code symbol()} and {@code decimals()}. */
public final class TokenMetadata {

  private TokenMetadata() {}

  /**
   * Reads the token the distributor at {@code distributor} pays out. A symbol that is not one
   * visible word (nothing forbids that on-chain) is shown as {@code TOKEN}, with the real decimals.
   */
  public static TokenUnits read(EvmClient chain, String distributor) throws IOException {
    String token = chain.read(chain.distributor(distributor).TOKEN());
    String symbol = chain.read(chain.erc20(token).symbol());
    int decimals = chain.read(chain.erc20(token).decimals()).intValueExact();
    try {
      return new TokenUnits(symbol, decimals);
    } catch (IllegalArgumentException unreadableSymbol) {
      return new TokenUnits("TOKEN", decimals);
    }
  }
}
