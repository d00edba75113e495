package ai.payable.cli.train;

import ai.payable.cli.LakehouseOption;
import ai.payable.cli.ModelStoreOption;
import ai.payable.cli.ModelCacheOption;
import ai.payable.core.config.Progress;
import ai.payable.training.job.TrainingJob;
import ai.payable.training.job.TrainingProgress;
import ai.payable.training.spec.TrainingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable train --spec FILE [--spec FILE …]}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the models YAML specs describe (training/specs/ has examples): a LoRA adapter on a base (an imported pretrained model, "
          + "or a trained one), a student derived from and distilled from its teacher, or a small teacher/student trained from scratch, "
          + "on a pinned version of the records of its DataNets.",
      "",
      "Prints progress (step, loss, tokens/s, ETA), evaluates on held-out records, writes the model in Hugging Face layout (config.json + "
          + "model.safetensors + tokenizer, or PEFT adapter files) and registers it in `models` with `training_examples` and, for adapters, "
          + "per-record `gradient_features`.",
      "",
      "Several adapter specs (--spec a.yaml --spec b.yaml, or a folder of them) train in parallel, one Spark task each, each on the GPU Spark "
          + "assigns to it (spark.task.resource.gpu.amount=1) or on the CPU. Other specs run one after another, in the order given.",
      "",
      "The same spec on the same records gives the same model id; re-running replaces it."
    })
public final class TrainCommand implements Callable<Integer> {

  @Mixin LakehouseOption lakehouse;

  @Option(names = "--spec", required = true, paramLabel = "FILE|DIR", description = "Training spec (YAML), or a folder of them; repeatable.")
  List<Path> specs;

  @Mixin ModelStoreOption models;

  @Mixin ModelCacheOption cache;

  @Override
  public Integer call() throws Exception {
    List<TrainingSpec> parsed = new ArrayList<>();
    for (Path p : expand(specs)) {
      parsed.add(TrainingSpec.read(p));
    }
    TrainingJob job = new TrainingJob(lakehouse.open(), models.location(), cache.path(), Progress.toStderr(), TrainingProgress.toStderr(""));
    for (TrainingJob.Result r : job.runAll(parsed)) {
      Map<String, Double> m = r.model().metrics();
      System.out.printf(Locale.ROOT, "model %s (%s%s)%n", r.model().modelId(), r.model().kind().value(), r.model().parentId().map(p -> " of " + p).orElse(""));
      System.out.printf(Locale.ROOT, "records %d for training, %d held out (records version %d)%n", r.trainRecords(), r.heldoutRecords(),
          r.model().recordsVersion());
      if (m.containsKey("heldout_loss")) {
        System.out.printf(Locale.ROOT, "loss %.4f train, %.4f held out (perplexity %.3f)%s%n", m.get("train_loss"), m.get("heldout_loss"),
            m.get("heldout_perplexity"), m.containsKey("heldout_kl_to_teacher") ? String.format(Locale.ROOT, "; KL to teacher %.4f", m.get("heldout_kl_to_teacher")) : "");
      } else {
        System.out.printf(Locale.ROOT, "loss %.4f train (nothing held out to evaluate on)%n", m.get("train_loss"));
      }
      System.out.printf(Locale.ROOT, "speed %.0f tokens/s over %.1f s%n", m.get("train_tokens_per_second"), m.get("train_seconds"));
      System.out.printf("files %s%n", r.model().artifactUri());
      for (String w : r.warnings()) {
        System.out.printf("warning: %s%n", w);
      }
    }
    return 0;
  }

  /** The spec files named: files as given, folders as their *.yaml files in name order. */
  static List<Path> expand(List<Path> given) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : given) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          List<Path> yaml = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
          if (yaml.isEmpty()) {
            throw new IllegalArgumentException("--spec " + p + " is a folder without *.yaml specs");
          }
          out.addAll(yaml);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
