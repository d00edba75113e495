package ai.payable.rewards.chain;

import ai.payable.core.crypto.Keccak;
import java.util.Arrays;
import java.util.Locale;

/** The distributor's roles besides the admin, as the contract names them. */
public enum DistributorRole {
  /** Submits roots. */
  UPDATER("UPDATER_ROLE"),
  /** Revokes pending roots and timelock changes; pauses claims and acceptance. */
  GUARDIAN("GUARDIAN_ROLE");

  private final byte[] id;

  DistributorRole(String name) {
    this.id = Keccak.hash(name);
  }

  /** The role's id, keccak256 of its name. */
  public byte[] id() {
    return id.clone();
  }

  /** The name the CLI uses. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a CLI name ({@code updater}, {@code guardian}). */
  public static DistributorRole parse(String text) {
    return Arrays.stream(values()).filter(r -> r.cliName().equalsIgnoreCase(text.trim())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown role '" + text + "'; the roles are updater and guardian (the admin is transferred "
            + "with --transfer-admin)"));
  }
}
