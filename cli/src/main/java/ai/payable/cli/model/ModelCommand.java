package ai.payable.cli.model;

import ai.payable.cli.LakehouseOption;
import ai.payable.cli.ModelStoreOption;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.training.registry.ModelImport;
import ai.payable.training.registry.ModelRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable model import|list}. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Pretrained base models: import a Hugging Face checkpoint, list registered models.",
    subcommands = {ModelCommand.Import.class, ModelCommand.ListModels.class})
public final class ModelCommand {

  /** {@code payable model import --from DIR [--name NAME] [--models DIR|URI]}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Registers a pretrained Llama-family checkpoint in Hugging Face layout (config.json, model.safetensors or sharded weights, tokenizer.json, "
            + "tokenizer_config.json and its chat template) as a base model that adapters and students build on.",
        "",
        "Everything is checked first (architecture, every tensor's name and shape, the tokenizer, special tokens, the chat template); the files are "
            + "then copied to the model store and the model is registered in `models` (kind base).",
        "",
        "The shipped SmolLM2-135M-Instruct: make models && payable model import --from build/hf/smollm2-135m-instruct"
      })
  public static final class Import implements Callable<Integer> {

    @Mixin LakehouseOption lakehouse;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The Hugging Face model directory.")
    Path from;

    @Option(names = "--name", paramLabel = "NAME", description = "The model's name (default: the folder's name).")
    String name;

    @Mixin ModelStoreOption models;

    @Override
    public Integer call() throws Exception {
      ModelRecord m = new ModelImport(lakehouse.open(), models.location(), Progress.toStderr()).run(from, Optional.ofNullable(name));
      System.out.printf(Locale.ROOT, "model %s (base, %,.0f parameters, %.0f layers)%n", m.modelId(), m.metrics().get("parameters"), m.metrics().get("layers"));
      System.out.printf("name  %s%nfiles %s%n", m.name(), m.artifactUri());
      System.out.printf("try   payable infer --model %s --prompt \"What is crop rotation?\"%n", m.name());
      return 0;
    }
  }

  /** {@code payable model list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists registered models, newest first.")
  public static final class ListModels implements Callable<Integer> {

    @Mixin LakehouseOption lakehouse;

    @Override
    public Integer call() {
      List<Row> rows = lakehouse.open().read(Tables.MODELS).orderBy(org.apache.spark.sql.functions.col("created_at").desc())
          .select("model_id", "name", "kind", "parent_id", "created_at").collectAsList();
      if (rows.isEmpty()) {
        System.out.println("no models yet: import one (payable model import --from DIR) or train one (payable train --spec FILE)");
        return 0;
      }
      System.out.printf("%-40s %-24s %-8s %-40s %s%n", "MODEL", "NAME", "KIND", "PARENT", "CREATED");
      for (Row r : rows) {
        System.out.printf("%-40s %-24s %-8s %-40s %s%n", r.getString(0), r.getString(1), r.getString(2), r.isNullAt(3) ? "-" : r.getString(3), r.get(4));
      }
      return 0;
    }
  }
}
