package ai.payable.cli.datanet;

import ai.payable.cli.LakehouseOption;
import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.DataNetRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code payable datanet list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists registered DataNets and their policies.")
final class ListCommand implements Callable<Integer> {

  @Mixin LakehouseOption lakehouse;

  @Override
  public Integer call() {
    Map<String, DataNetPolicy> all = new DataNetRegistry(lakehouse.open()).load();
    if (all.isEmpty()) {
      System.out.println("no DataNets registered; run `payable datanet register --file datanets.yaml`");
      return 0;
    }
    System.out.printf(Locale.ROOT, "%-16s %-12s %-24s %-8s %-7s %9s %9s %8s%n", "id", "domain", "licenses", "languages", "pii", "min_words", "max_chars", "near_dup");
    for (DataNetPolicy p : all.values()) {
      System.out.printf(Locale.ROOT, "%-16s %-12s %-24s %-8s %-7s %9d %9d %8.2f%n", p.id(), p.domain(),
          String.join(",", p.licenses()), String.join(",", p.languages()), p.pii().value(),
          p.minWords(), p.maxChars(), p.nearDuplicateSimilarity());
    }
    return 0;
  }
}
