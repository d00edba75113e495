package ai.payable.cli;

import ai.payable.core.money.TokenUnits;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.TokenMetadata;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * How a command shows amounts to a person: the reward token's symbol and decimals. Given with
 * {@code --token-units} or {@code $PAYABLE_TOKEN_UNITS}, else read from the distributor's token when
 * a chain is configured, else amounts stay in wei. Data and files keep integer wei either way.
 */
public final class TokenOption {

  @Option(names = "--token-units", paramLabel = "SYMBOL:DECIMALS", defaultValue = "${env:PAYABLE_TOKEN_UNITS}",
      description = "How to show amounts, e.g. USDC:6 (default: $PAYABLE_TOKEN_UNITS, else the distributor's token read from the chain when one "
          + "is configured, else wei).")
  String units;

  /** The units given by option or environment, else {@link TokenUnits#WEI}. */
  public TokenUnits givenOrWei() {
    return units == null || units.isBlank() ? TokenUnits.WEI : TokenUnits.parse(units);
  }

  /** The units given, else those of the distributor's token when chain and distributor are configured, else wei. */
  public TokenUnits resolve(ChainOptions chain, ChainOptions.Distributor distributor) throws IOException {
    if (units != null && !units.isBlank()) {
      return TokenUnits.parse(units);
    }
    if (!chain.configured() || !distributor.configured()) {
      return TokenUnits.WEI;
    }
    try (ChainConnection connection = chain.connect()) {
      return TokenMetadata.read(EvmClient.readOnly(connection), distributor.address());
    }
  }
}
