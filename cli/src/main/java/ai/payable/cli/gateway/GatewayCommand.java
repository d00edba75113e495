package ai.payable.cli.gateway;

import ai.payable.cli.LakehouseOption;
import ai.payable.core.catalog.GatewayRow;
import ai.payable.core.identity.Address;
import ai.payable.pipelines.gateway.GatewayRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable gateway}: the serving gateways whose signed logs are paid. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Register and list the serving gateways. Each gateway signs every inference log line with its key (EIP-712, see the README); "
          + "ingestion pays only lines a registered gateway signed, and quarantines unsigned (UNSIGNED), altered (BAD_SIGNATURE) and "
          + "unregistered (UNKNOWN_GATEWAY) ones."
    },
    subcommands = {GatewayCommand.Register.class, GatewayCommand.ListGateways.class})
public final class GatewayCommand {

  /** {@code payable gateway register --id ID --address 0x…}. */
  @Command(name = "register", mixinStandardHelpOptions = true,
      description = {"Registers a gateway, or rotates its key: registering an id again replaces its address, and lines signed with the old key "
          + "are quarantined from then on."})
  static final class Register implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "The gateway's name, e.g. eu-gateway-1.")
    String id;

    @Option(names = "--address", required = true, paramLabel = "0x…", description = "The address of the gateway's signing key.")
    String address;

    @Option(names = "--description", defaultValue = "", paramLabel = "TEXT", description = "What it serves, for the record.")
    String description;

    @Override
    public Integer call() {
      Address a = Address.parse(address);
      new GatewayRegistry(lakehouse.open()).register(id, a, description);
      System.out.println("registered gateway " + id + " signing as " + a.checksummed());
      return 0;
    }
  }

  /** {@code payable gateway list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists the registered gateways."})
  static final class ListGateways implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Override
    public Integer call() {
      List<GatewayRow> all = new GatewayRegistry(lakehouse.open()).all();
      if (all.isEmpty()) {
        System.out.println("no gateway registered: no inference log is paid until one is (payable gateway register --id ID --address 0x…)");
      }
      all.forEach(g -> System.out.printf("%-24s %s  %s%n", g.gatewayId(), g.address(), g.description()));
      return 0;
    }
  }
}
