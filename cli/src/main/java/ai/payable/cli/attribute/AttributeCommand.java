package ai.payable.cli.attribute;

import ai.payable.attribution.combine.ShareRule;
import ai.payable.attribution.gradient.FeatureScaling;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.attribution.job.AttributionJob;
import ai.payable.attribution.job.AttributionSettings;
import ai.payable.attribution.split.FeeSplit;
import ai.payable.cli.LakehouseOption;
import ai.payable.cli.ModelCacheOption;
import ai.payable.cli.TokenOption;
import ai.payable.core.config.Progress;
import ai.payable.core.money.TokenUnits;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable attribute --epoch E}. */
@Command(
    name = "attribute",
    mixinStandardHelpOptions = true,
    description = {
      "The nightly Proof of Attribution for one epoch (UTC day): scores every logged answer against the training records of the model that gave it (gradient influence through the adapter's LoRA parameters, output spans found in the training corpus, retrieved records), combines them into shares, and splits each fee exactly into protocol, model builder and data contributor rewards.",
      "",
      "Writes the epoch's `attributions` and `epoch_rewards`, replacing what a previous run wrote: re-running an epoch gives the same rows and never double counts."
    })
public final class AttributeCommand implements Callable<Integer> {

  @Mixin LakehouseOption lakehouse;

  @Option(names = "--epoch", required = true, paramLabel = "YYYY-MM-DD", description = "The epoch (UTC day) whose answers to attribute.")
  LocalDate epoch;

  @Option(names = "--treasury", defaultValue = "${env:PAYABLE_TREASURY}", paramLabel = "0x…",
      description = "Protocol treasury account; also paid the builder share of models without an owner (default: $PAYABLE_TREASURY).")
  String treasury;

  @Option(names = "--estimator", defaultValue = "datainf", paramLabel = "NAME", description = "Gradient estimator: datainf or tracin (default: ${DEFAULT-VALUE}).")
  String estimator;

  @Option(names = "--scaling", defaultValue = "module-unit", paramLabel = "HOW",
      description = "How each module's part of the records' and answers' gradients is scaled before scoring: module-unit (unit length per module, "
          + "a per-module cosine) or raw (default: ${DEFAULT-VALUE}).")
  String scaling;

  @Option(names = "--top-k", defaultValue = "10", paramLabel = "K", description = "Most records credited per answer (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--floor", defaultValue = "0.01", paramLabel = "SHARE", description = "Smallest share kept after the top-k cut (default: ${DEFAULT-VALUE}).")
  double floor;

  @Option(names = "--weights", defaultValue = ShareRule.DEFAULT_WEIGHTS, paramLabel = "M=W,…",
      description = "Method weights in the mix; a method not named weighs 0 (default: ${DEFAULT-VALUE}).")
  String weights;

  @Option(names = "--fees", defaultValue = "protocol=1000,builder=2000,data=7000", paramLabel = "R=BPS,…",
      description = "Fee split in basis points summing to 10000 (default: ${DEFAULT-VALUE}).")
  String fees;

  @Option(names = "--min-span", defaultValue = "16", paramLabel = "TOKENS", description = "Shortest output span that counts as reproduced (default: ${DEFAULT-VALUE}).")
  int minSpan;

  @Mixin ModelCacheOption cache;

  @Mixin TokenOption token;

  @Override
  public Integer call() throws Exception {
    if (treasury == null || treasury.isBlank()) {
      throw new IllegalArgumentException("no treasury account: pass --treasury 0x… or set PAYABLE_TREASURY");
    }
    ShareRule rule = new ShareRule(ShareRule.parseWeights(weights), topK, floor);
    Map<String, Double> f = pairs(fees, "--fees");
    FeeSplit split = new FeeSplit(f.getOrDefault("protocol", 0.0).intValue(), f.getOrDefault("builder", 0.0).intValue(), f.getOrDefault("data", 0.0).intValue());
    InfluenceIndex.Estimator e = switch (estimator.toLowerCase(Locale.ROOT)) {
      case "datainf" -> InfluenceIndex.Estimator.DATAINF;
      case "tracin" -> InfluenceIndex.Estimator.TRACIN;
      default -> throw new IllegalArgumentException("--estimator must be datainf or tracin, not '" + estimator + "'");
    };
    AttributionSettings settings = new AttributionSettings(rule, e, 0.1, FeatureScaling.of(scaling), minSpan, Math.max(50, topK), split, treasury);
    AttributionJob.Summary s = new AttributionJob(lakehouse.open(), settings, cache.path(), Progress.toStderr()).run(epoch);
    System.out.printf("epoch %s: %d answers, %d on the fallback%n", s.epoch(), s.answers(), s.fallbackAnswers());
    TokenUnits units = token.givenOrWei();
    System.out.printf("fees %s → rewards %s%n", units.formatWithWei(s.fees()), units.formatWithWei(s.rewards()));
    s.methods().forEach((m, n) -> System.out.printf("  %-10s %d credited record(s)%n", m, n));
    return 0;
  }

  private static Map<String, Double> pairs(String text, String option) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (String pair : text.split(",")) {
      String[] kv = pair.split("=", 2);
      try {
        out.put(kv[0].strip().toLowerCase(Locale.ROOT), Double.parseDouble(kv[1].strip()));
      } catch (RuntimeException ex) {
        throw new IllegalArgumentException(option + ": '" + pair + "' is not NAME=NUMBER");
      }
    }
    return out;
  }
}
