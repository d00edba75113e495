package ai.payable.cli.rewards;

import ai.payable.cli.ChainOptions;
import ai.payable.core.identity.Address;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.DistributorCall;
import ai.payable.rewards.chain.DistributorGovernance;
import ai.payable.rewards.chain.DistributorRole;
import ai.payable.rewards.chain.EvmClient;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable rewards roles}: who holds the distributor's roles, and changes to them. */
@Command(
    name = "roles",
    mixinStandardHelpOptions = true,
    description = {
      "Lists who holds the distributor's roles: the admin (and any admin transfer under way), the updaters and the guardians. Reads only, "
          + "unless one change is given:",
      "",
      "  --grant ROLE=0x… / --revoke ROLE=0x…   admin: give or take the updater or guardian role",
      "  --transfer-admin 0x…                   admin: begin handing the admin role over; the new admin accepts after the admin delay",
      "  --accept-admin                         the new admin, once the delay has passed",
      "  --cancel-admin-transfer                admin: call off a transfer it began",
      "",
      "The admin role can never change hands in one step, nor be granted or renounced directly (OpenZeppelin's AccessControlDefaultAdminRules)."
    })
final class RolesCommand implements Callable<Integer> {

  @Mixin ChainOptions chain;

  @Mixin ChainOptions.Distributor distributor;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Change change;

  static final class Change {
    @Option(names = "--grant", paramLabel = "ROLE=0x…", description = "Grant updater or guardian to an account.")
    String grant;

    @Option(names = "--revoke", paramLabel = "ROLE=0x…", description = "Revoke updater or guardian from an account.")
    String revoke;

    @Option(names = "--transfer-admin", paramLabel = "0x…", description = "Begin handing the admin role to this account.")
    String transferAdmin;

    @Option(names = "--accept-admin", description = "Take the admin role handed to the sender.")
    boolean acceptAdmin;

    @Option(names = "--cancel-admin-transfer", description = "Call off the admin transfer under way.")
    boolean cancelAdminTransfer;
  }

  @Mixin GovernanceSender sender;

  @Override
  public Integer call() throws Exception {
    try (ChainConnection connection = chain.connect()) {
      if (change == null) {
        print(new DistributorGovernance(EvmClient.readOnly(connection), distributor.address()).roles());
        return 0;
      }
      EvmClient client = sender.client(connection);
      DistributorGovernance governance = new DistributorGovernance(client, distributor.address());
      if (change.grant != null) {
        Assignment a = Assignment.parse("--grant", change.grant);
        sender.run(client, governance.grant(a.role(), a.account()), a.account().checksummed() + " already holds " + a.role().cliName(),
            "granted " + a.role().cliName() + " to " + a.account().checksummed());
      } else if (change.revoke != null) {
        Assignment a = Assignment.parse("--revoke", change.revoke);
        sender.run(client, governance.revoke(a.role(), a.account()), a.account().checksummed() + " does not hold " + a.role().cliName(),
            "revoked " + a.role().cliName() + " from " + a.account().checksummed());
      } else {
        DistributorCall call = change.transferAdmin != null ? governance.beginAdminTransfer(Address.parse(change.transferAdmin))
            : change.acceptAdmin ? governance.acceptAdminTransfer()
            : governance.cancelAdminTransfer();
        sender.run(client, Optional.of(call), "", call.description() + " sent");
      }
      return 0;
    }
  }

  private static void print(DistributorGovernance.RoleHolders roles) {
    System.out.printf("admin       %s  (transfers wait %d h)%n", roles.admin(), roles.adminTransferDelay().toHours());
    roles.pendingAdmin().ifPresent(p -> System.out.printf("            transfer under way to %s, acceptable from %s%n", p.account(), p.acceptableFrom()));
    System.out.printf("updaters    %s%n", roles.updaters().isEmpty() ? "none" : String.join(", ", roles.updaters()));
    System.out.printf("guardians   %s%n", roles.guardians().isEmpty() ? "none" : String.join(", ", roles.guardians()));
  }

  /** {@code ROLE=0x…}. */
  private record Assignment(DistributorRole role, Address account) {
    static Assignment parse(String option, String text) {
      int eq = text.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(option + " '" + text + "': expected ROLE=0x…, e.g. guardian=0x1234…");
      }
      return new Assignment(DistributorRole.parse(text.substring(0, eq)), Address.parse(text.substring(eq + 1)));
    }
  }
}
