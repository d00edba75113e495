package ai.payable.cli.train;

import ai.payable.cli.LakehouseOption;
import ai.payable.cli.ModelCacheOption;
import ai.payable.core.config.Progress;
import ai.payable.training.job.TrainingJob;
import ai.payable.training.spec.TrainingSpec;
import ai.payable.training.train.TrainingLoop;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable train --spec FILE}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the model a YAML spec describes (training/specs/ has examples): a teacher, a student distilled from a teacher, or a LoRA adapter on a base, on a pinned version of the records of its DataNets.",
      "",
      "Prints progress (step, loss, tokens/s, ETA), evaluates on held-out records, writes the model in Hugging Face layout (config.json + model.safetensors, or PEFT adapter files) and registers it in `models` with `training_examples` and, for adapters, per-record `gradient_features`.",
      "",
      "The same spec on the same records gives the same model id; re-running replaces it."
    })
public final class TrainCommand implements Callable<Integer> {

  @Mixin LakehouseOption lakehouse;

  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "Training spec (YAML).")
  Path spec;

  @Option(names = "--models", defaultValue = "${env:PAYABLE_MODELS:-models}", paramLabel = "DIR|URI",
      description = "Where model folders go: a directory or s3a://… (default: $PAYABLE_MODELS or ${DEFAULT-VALUE}).")
  String models;

  @Mixin ModelCacheOption cache;

  @Override
  public Integer call() throws Exception {
    TrainingSpec parsed = TrainingSpec.read(spec);
    TrainingJob.Result r = new TrainingJob(lakehouse.open(), models, cache.path(), Progress.toStderr(), progressBar()).run(parsed);
    Map<String, Double> m = r.model().metrics();
    System.out.printf(Locale.ROOT, "model %s (%s%s)%n", r.model().modelId(), r.model().kind(), r.model().parentId().map(p -> " of " + p).orElse(""));
    System.out.printf(Locale.ROOT, "records %d for training, %d held out (records version %d)%n", r.trainRecords(), r.heldoutRecords(), r.model().recordsVersion());
    System.out.printf(Locale.ROOT, "loss %.4f train, %.4f held out (perplexity %.3f)%s%n", m.get("train_loss"), m.get("heldout_loss"), m.get("heldout_perplexity"),
        m.containsKey("heldout_kl_to_teacher") ? String.format(Locale.ROOT, "; KL to teacher %.4f", m.get("heldout_kl_to_teacher")) : "");
    System.out.printf(Locale.ROOT, "speed %.0f tokens/s over %.1f s%n", m.get("train_tokens_per_second"), m.get("train_seconds"));
    System.out.printf("files %s%n", r.model().artifactUri());
    return 0;
  }

  /** A progress line about every 5% of the steps: step, loss, throughput and time left. */
  static TrainingLoop.Listener progressBar() {
    return (step, total, loss, tokens, seconds) -> {
      int every = Math.max(1, total / 20);
      if (step % every == 0 || step == total) {
        double eta = seconds / step * (total - step);
        System.err.printf(Locale.ROOT, "     step %d/%d  loss %.4f  %,.0f tokens/s  ETA %dm%02ds%n", step, total, loss, tokens / Math.max(seconds, 1e-9),
            (long) eta / 60, (long) eta % 60);
      }
    };
  }
}
