package ai.payable.pipelines.gateway;

import ai.payable.core.catalog.GatewayRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.lakehouse.Lakehouse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The gateways whose inference logs are paid ({@code gateways}). Registering a gateway id again
 * replaces its address and description (a key rotation): lines signed with the old key are
 * quarantined from then on.
 */
public final class GatewayRegistry {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  private final Lakehouse lakehouse;

  public GatewayRegistry(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /**
   * Registers {@code gatewayId} as signing with the key of {@code address}.
   *
   * @throws IllegalArgumentException naming the bad id, or an address another gateway holds
   */
  public void register(String gatewayId, Address address, String description) {
    if (!ID.matcher(gatewayId).matches()) {
      throw new IllegalArgumentException("gateway id '" + gatewayId + "' must be 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit");
    }
    for (GatewayRow g : all()) {
      if (!g.gatewayId().equals(gatewayId) && Address.parse(g.address()).equals(address)) {
        throw new IllegalArgumentException("address " + address.checksummed() + " is already gateway '" + g.gatewayId() + "'; each gateway signs with its own key");
      }
    }
    lakehouse.upsert(Tables.GATEWAYS, List.of(new GatewayRow(gatewayId, address.checksummed(), description, Instant.now()).toRow()), GatewayRow.KEY,
        Set.of(GatewayRow.REGISTERED_AT));
  }

  /** Every registered gateway, by id. */
  public List<GatewayRow> all() {
    return lakehouse.read(Tables.GATEWAYS).orderBy(GatewayRow.KEY).collectAsList().stream().map(GatewayRow::fromRow).toList();
  }

  /** The registered addresses, lowercase {@code 0x}-hex, as signatures recover them. */
  public Set<String> addresses() {
    return all().stream().map(g -> Address.parse(g.address()).value()).collect(Collectors.toSet());
  }
}
