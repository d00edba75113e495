package ai.payable.cli.model;

import ai.payable.attribution.audit.AuditedRecord;
import ai.payable.attribution.audit.OutlierRule;
import ai.payable.attribution.audit.TrainingAudit;
import ai.payable.cli.LakehouseOption;
import ai.payable.cli.ModelCacheOption;
import ai.payable.cli.ModelStoreOption;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.training.registry.ModelImport;
import ai.payable.training.spec.TrainingSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code payable model import|list|audit}. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Models: import a Hugging Face checkpoint as a base, list registered models, audit an adapter's training records.",
    subcommands = {ModelCommand.Import.class, ModelCommand.ListModels.class, ModelCommand.Audit.class})
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
      ModelRow m = new ModelImport(lakehouse.open(), models.location(), Progress.toStderr()).run(from, Optional.ofNullable(name));
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

  /** {@code payable model audit MODEL [--threshold Z] [--top N]}. */
  @Command(
      name = "audit",
      mixinStandardHelpOptions = true,
      description = {
        "Audits the records an adapter trained on: each record's DataInf self-influence (how much the record alone decides its own loss), "
            + "from every layer's LoRA gradients, and a robust z-score among the adapter's records. A record the rest of its DataNet does not "
            + "explain (a question paired with another's answer, scrambled text) scores high; records at or over the threshold are flagged.",
        "",
        "Rows go to `training_audit` (replacing the adapter's earlier audit); flagged records are listed with their landing file and line, "
            + "for a curator to read. The audit removes nothing and changes no payout.",
        "",
        "Examples: payable model audit agronomy-smollm2", "          payable model audit --spec training/specs/smollm2/adapter-agronomy.yaml"
      })
  public static final class Audit implements Callable<Integer> {

    @Mixin LakehouseOption lakehouse;

    @Mixin ModelCacheOption cache;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "The adapter: a model id, or a name for its newest model.")
    String model;

    @Option(names = "--spec", paramLabel = "FILE",
        description = "Instead of MODEL: the newest model trained from this spec; a spec of another kind than adapter has nothing to audit (exit 0), "
            + "so a training pipeline can audit whatever it trained.")
    Path spec;

    @Option(names = "--threshold", paramLabel = "Z", defaultValue = "" + OutlierRule.DEFAULT_THRESHOLD,
        description = "Flag records whose robust z-score of log self-influence reaches Z (default: ${DEFAULT-VALUE}, Iglewicz and Hoaglin's).")
    double threshold;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
        description = "Also list the N records of highest self-influence, flagged or not (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
      if ((model == null) == (spec == null)) {
        throw new IllegalArgumentException("name the adapter to audit either as MODEL or with --spec FILE (not both)");
      }
      if (spec != null) {
        TrainingSpec trained = TrainingSpec.read(spec);
        if (trained.kind() != TrainingSpec.Kind.ADAPTER) {
          System.out.printf("nothing to audit: %s trains a %s; the audit reads adapters%n", spec, trained.kind().name().toLowerCase(Locale.ROOT));
          return 0;
        }
        model = trained.name();
      }
      TrainingAudit.Settings d = TrainingAudit.Settings.defaults();
      TrainingAudit.Summary s = new TrainingAudit(lakehouse.open(), new TrainingAudit.Settings(d.projectionDim(), d.seed(), d.damping(),
          new OutlierRule(threshold)), cache.path(), Progress.toStderr()).run(model);
      List<AuditedRecord> flagged = s.flagged();
      System.out.printf(Locale.ROOT, "model %s: %d training records audited (%d LoRA module%s × %d dimensions); %d flagged at z ≥ %.1f%n",
          s.model().modelId(), s.records().size(), s.modules(), s.modules() == 1 ? "" : "s", s.settings().projectionDim(), flagged.size(), threshold);
      List<AuditedRecord> shown = s.records().stream().filter(r -> r.flagged() || r.rank() <= top).toList();
      if (!shown.isEmpty()) {
        System.out.printf("%-5s %-6s %-8s %-12s %s%n", "RANK", "Z", "FLAGGED", "DATANET", "RECORD (landing file:line below)");
        for (AuditedRecord r : shown) {
          System.out.printf(Locale.ROOT, "%-5d %-6.2f %-8s %-12s %s%n%35s%s:%d%n", r.rank(), r.outlierScore(), r.flagged() ? "yes" : "-", r.datanet(),
              r.excerpt(), "", r.sourceFile(), r.lineNo());
        }
      }
      System.out.printf("all rows: payable sql \"SELECT * FROM training_audit WHERE model_id = '%s' ORDER BY rank\"%n", s.model().modelId());
      return 0;
    }
  }
}
