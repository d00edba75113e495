package ai.payable.cli.rewards;

import ai.payable.cli.ChainOptions;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.DistributorGovernance;
import ai.payable.rewards.chain.DistributorState;
import ai.payable.rewards.chain.EvmClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable rewards timelock}: the review window, and changes to it. */
@Command(
    name = "timelock",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the timelock (how long a proposed root waits, governance's review window) and any change of it under way. Reads only, unless "
          + "one change is given:",
      "",
      "  --propose SECONDS   admin: propose a new timelock; it takes effect after the current timelock, and the guardian can revoke it",
      "  --accept            anyone: apply a proposed change whose wait has passed",
      "  --revoke            guardian: drop a proposed change",
      "",
      "A proposal is checked against the contract's bounds (3600 to 2592000 s) and the schedule: a root proposed by one nightly run must be "
          + "acceptable an hour before the next."
    })
final class TimelockCommand implements Callable<Integer> {

  @Mixin ChainOptions chain;

  @Mixin ChainOptions.Distributor distributor;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Change change;

  static final class Change {
    @Option(names = "--propose", paramLabel = "SECONDS", description = "Propose a new timelock.")
    Long propose;

    @Option(names = "--accept", description = "Apply the proposed change once its wait has passed.")
    boolean accept;

    @Option(names = "--revoke", description = "Drop the proposed change.")
    boolean revoke;
  }

  @Option(names = "--schedule-period", defaultValue = "86400", paramLabel = "SECONDS",
      description = "How often the nightly run proposes a root (default: ${DEFAULT-VALUE}).")
  long period;

  @Mixin GovernanceSender sender;

  @Override
  public Integer call() throws Exception {
    try (ChainConnection connection = chain.connect()) {
      if (change == null) {
        DistributorState s = DistributorState.read(EvmClient.readOnly(connection), distributor.address());
        System.out.printf("timelock   %d s%n", s.timelockSeconds());
        System.out.printf("pending    %s%n", s.pendingTimelock().map(t -> t.timelock().toSeconds() + " s, acceptable "
            + (s.chainTime().isBefore(t.validAt()) ? "from " + t.validAt() : "now")).orElse("none"));
        return 0;
      }
      EvmClient client = sender.client(connection);
      DistributorGovernance governance = new DistributorGovernance(client, distributor.address());
      if (change.propose != null) {
        sender.run(client, Optional.of(governance.proposeTimelock(Duration.ofSeconds(change.propose), Duration.ofSeconds(period),
            RewardsCommand.SCHEDULE_MARGIN)), "", "proposed a timelock of " + change.propose + " s");
      } else if (change.accept) {
        sender.run(client, governance.acceptTimelock(), "no timelock change is pending", "applied the new timelock");
      } else {
        sender.run(client, governance.revokePendingTimelock(), "no timelock change is pending", "revoked the proposed timelock");
      }
      return 0;
    }
  }
}
