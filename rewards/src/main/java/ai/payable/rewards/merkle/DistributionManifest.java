package ai.payable.rewards.merkle;

import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.money.TokenUnits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code distribution.json}, published beside a distribution's tree and proofs: what the folder
 * holds (epoch, root, totals), the epoch of the distribution before it (a sibling folder named by
 * that epoch), and the reward token's symbol and decimals. With it a contributor can read what they
 * are owed, epoch by epoch and in token units, from the published files alone, with no chain and no
 * lakehouse.
 *
 * @param domain the chain, distributor and token the leaves can be claimed with
 * @param previousEpoch the distribution before this one, or null for the first
 * @param token the reward token's units; {@link TokenUnits#WEI} when they were not known at build time
 */
public record DistributionManifest(LocalDate epoch, String root, ClaimDomain domain, long accounts, BigInteger cumulativeTotalWei,
    BigInteger epochTotalWei, LocalDate previousEpoch, TokenUnits token) {

  public static final String FILE = "distribution.json";
  private static final String FORMAT = "payable-distribution-v2";

  /** Writes {@code distribution.json} into {@code dir}. */
  public void write(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode o = json.createObjectNode();
    o.put("format", FORMAT);
    o.put("epoch", epoch.toString());
    o.put("root", root);
    o.putObject("claim_domain").put("chain_id", domain.chainId()).put("distributor", domain.distributor().checksummed())
        .put("token", domain.token().checksummed());
    o.put("accounts", accounts);
    o.put("cumulative_total_wei", cumulativeTotalWei.toString());
    o.put("epoch_total_wei", epochTotalWei.toString());
    if (previousEpoch == null) {
      o.putNull("previous_epoch");
    } else {
      o.put("previous_epoch", previousEpoch.toString());
    }
    if (!token.isWei()) {
      o.putObject("token").put("symbol", token.symbol()).put("decimals", token.decimals());
    }
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), o);
  }

  /**
   * The token units the distribution in {@code folder} records; {@link TokenUnits#WEI} when it
   * records none or was published before {@code distribution.json} existed.
   */
  public static TokenUnits tokenOf(String folder, Configuration hadoop) throws IOException {
    try {
      return read(ArtifactStore.open(folder, FILE, hadoop), folder + "/" + FILE).token();
    } catch (FileNotFoundException builtBeforeManifests) {
      return TokenUnits.WEI;
    }
  }

  /** Reads a {@code distribution.json} stream (closed when done); {@code source} names it in errors. */
  public static DistributionManifest read(InputStream in, String source) throws IOException {
    JsonNode o;
    try (in) {
      o = new ObjectMapper().readTree(in);
    }
    if (o != null && o.path("format").asText().startsWith("payable-distribution-") && !FORMAT.equals(o.path("format").asText())) {
      throw new IllegalArgumentException(source + " is in the older format " + o.path("format").asText() + ", whose leaves did not bind their "
          + "distributor, chain and token; rebuild the distribution with `payable rewards build`");
    }
    if (o == null || !FORMAT.equals(o.path("format").asText())) {
      throw new IllegalArgumentException(source + " is not a " + FILE + " written by the rewards build (expected \"format\": \"" + FORMAT + "\")");
    }
    try {
      JsonNode token = o.path("token");
      JsonNode domain = o.path("claim_domain");
      if (!domain.path("chain_id").canConvertToLong() || !domain.path("distributor").isTextual() || !domain.path("token").isTextual()) {
        throw new IllegalArgumentException(source + " names no complete claim_domain {chain_id, distributor, token}");
      }
      return new DistributionManifest(LocalDate.parse(o.path("epoch").asText()), o.path("root").asText(),
          ClaimDomain.of(domain.path("chain_id").asLong(), domain.path("distributor").asText(), domain.path("token").asText()), o.path("accounts").asLong(),
          new BigInteger(o.path("cumulative_total_wei").asText()), new BigInteger(o.path("epoch_total_wei").asText()),
          o.path("previous_epoch").isTextual() ? LocalDate.parse(o.path("previous_epoch").asText()) : null,
          token.isObject() ? new TokenUnits(token.path("symbol").asText(), token.path("decimals").asInt()) : TokenUnits.WEI);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }
}
