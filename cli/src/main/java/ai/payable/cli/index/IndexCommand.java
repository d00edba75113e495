package ai.payable.cli.index;

import ai.payable.cli.LakehouseOption;
import ai.payable.cli.ModelStoreOption;
import ai.payable.cli.ModelCacheOption;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.training.retrieval.RecordIndex;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable index build --datanet D}. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = "Retrieval indexes of DataNets, for answers grounded in their records (payable infer --retrieve K).",
    subcommands = {IndexCommand.Build.class})
public final class IndexCommand {

  /** {@code payable index build [--datanet D …] [--models DIR|URI]}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Builds a BM25 index (Apache Lucene, English analyzer) over the accepted records of each DataNet, at the current version of `records`, "
            + "and stores it in the model store under indexes/DATANET/records-vN. Building again for a version that has an index does nothing.",
        "",
        "Run it after an ingestion (the ingest DAG does), so answers can draw on the new records."
      })
  public static final class Build implements Callable<Integer> {

    @Mixin LakehouseOption lakehouse;

    @Option(names = "--datanet", paramLabel = "ID", description = "DataNet to index (repeatable; default: every registered DataNet).")
    List<String> datanets = List.of();

    @Mixin ModelStoreOption models;

    @Mixin ModelCacheOption cache;

    @Override
    public Integer call() throws Exception {
      Lakehouse open = lakehouse.open();
      ArtifactStore store = ArtifactStore.at(models.location(), open.spark().sparkContext().hadoopConfiguration());
      RecordIndex index = new RecordIndex(open, store, cache.path().resolve("index-staging"), Progress.toStderr());
      List<String> chosen = datanets.isEmpty() ? List.copyOf(new DataNetRegistry(open).load().keySet()) : datanets;
      if (chosen.isEmpty()) {
        throw new IllegalArgumentException("no DataNets are registered in " + open.root() + "; register them first (payable datanet register --file FILE)");
      }
      for (String datanet : chosen) {
        RecordIndex.Result r = index.build(datanet);
        System.out.printf(Locale.ROOT, "%-14s %s %,d records at records version %d → %s%n", datanet, r.built() ? "indexed" : "up to date,", r.records(),
            r.recordsVersion(), r.folder());
      }
      return 0;
    }
  }
}
