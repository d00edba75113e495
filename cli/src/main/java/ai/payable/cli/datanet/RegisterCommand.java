package ai.payable.cli.datanet;

import ai.payable.cli.LakehouseOption;
import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable datanet register --file datanets.yaml}. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Registers (or updates) the DataNets declared in a YAML file. Unset keys take defaults: licenses [CC-BY-4.0, CC0-1.0], languages [en], pii reject, min_words "
          + DataNetPolicy.DEFAULT_MIN_WORDS + ", max_chars " + DataNetPolicy.DEFAULT_MAX_CHARS + ", near_duplicate_similarity "
          + DataNetPolicy.DEFAULT_NEAR_DUPLICATE_SIMILARITY + ", the Gopher rule thresholds (see the README)."
    })
final class RegisterCommand implements Callable<Integer> {

  @Mixin LakehouseOption lakehouse;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "YAML", description = "DataNet declarations (datanets: [...]).")
  Path file;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("DataNet file " + file + " does not exist");
    }
    List<DataNetPolicy> policies = DataNetSpecs.read(file);
    List<String> ids = new DataNetRegistry(lakehouse.open()).register(policies);
    System.out.println("registered " + ids.size() + " DataNet(s): " + String.join(", ", ids));
    return 0;
  }
}
