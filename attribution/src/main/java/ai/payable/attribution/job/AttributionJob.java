package ai.payable.attribution.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.payable.attribution.combine.ShareRule;
import ai.payable.core.catalog.AttributionMethod;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.catalog.TrainingSplit;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * The nightly Proof of Attribution for one epoch (a UTC day): for every logged answer, the training
 * records of the model that gave it are scored (gradient influence through the adapter's LoRA
 * parameters, spans of the output found in the training corpus, retrieval), combined by the
 * {@link ShareRule}, and the answer's fee is split exactly into protocol, model builder and data
 * contributor rewards. Writes the epoch's {@code attributions} and {@code epoch_rewards}, each
 * replacing the epoch's partition in one Delta commit, so a re-run (after a crash or not) gives the
 * same rows and never double counts.
 *
 * <p>The steps, each its own class: {@link EpochAnswers} reads the answers; {@link ModelPlans}
 * says what each answering model offers; {@link EpochEvidence} computes the evidence per method on
 * the executors; {@link ShareRule} combines it; {@link Payout} splits the fees; {@link EpochWriter}
 * commits.
 *
 * <p>Determinism: gradient scores are exact integer products of quantised vectors, candidates are
 * quantised to 2⁻²⁰ of each answer's largest score, and every ranking breaks ties by record id, so
 * neither the partitioning, nor the number of executors, nor floating-point noise in the last bits
 * moves money.
 */
public final class AttributionJob {

  /** What a run produced. */
  public record Summary(LocalDate epoch, int answers, int fallbackAnswers, BigInteger fees, BigInteger rewards, Map<String, Integer> methods) {}

  /**
   * One answer's evidence under each method (the top candidates, quantised as for payment) and the
   * combined shares the nightly run pays by: what a researcher compares when asking why an answer
   * paid whom.
   */
  public record Explanation(String inferenceId, String model, Map<AttributionMethod, Map<String, Double>> byMethod, List<ShareRule.Share> combined) {}

  private final Lakehouse lakehouse;
  private final AttributionSettings settings;
  private final Progress progress;
  private final EpochEvidence evidence;

  public AttributionJob(Lakehouse lakehouse, AttributionSettings settings, Path cache, Progress progress) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.progress = progress;
    this.evidence = new EpochEvidence(lakehouse, settings, cache, progress);
  }

  /** Explains one answer of {@code epoch} without writing anything. */
  public Explanation explain(LocalDate epoch, String inferenceId) throws IOException {
    EpochAnswers answers = EpochAnswers.read(lakehouse, epoch).only(inferenceId);
    if (answers.answers().isEmpty()) {
      throw new IllegalArgumentException("no answer " + inferenceId + " in epoch " + epoch + " of " + lakehouse.root());
    }
    EpochAnswers.Answer a = answers.answers().get(0);
    Map<String, ModelPlans.ModelPlan> plans = ModelPlans.of(lakehouse, Set.of(a.modelKey()));
    if (plans.get(a.modelKey()).model().isEmpty()) {
      return new Explanation(a.inferenceId(), a.modelKey(), Map.of(), List.of());
    }
    Map<AttributionMethod, Map<String, Double>> e = known(evidence.gather(answers, plans)).evidence().get(a.inferenceId());
    return new Explanation(a.inferenceId(), a.modelKey(), e, settings.rule().combine(e));
  }

  /** Attributes {@code epoch}. */
  public Summary run(LocalDate epoch) throws IOException {
    progress.step("reading answers of " + epoch);
    EpochAnswers answers = EpochAnswers.read(lakehouse, epoch);
    Set<String> keys = new TreeSet<>();
    answers.answers().forEach(a -> keys.add(a.modelKey()));
    Map<String, ModelPlans.ModelPlan> plans = ModelPlans.of(lakehouse, keys);
    Credited credited = known(evidence.gather(answers, plans));

    Payout payout = new Payout(epoch, settings);
    Map<String, Map<String, Long>> trainedOn = new HashMap<>();
    for (EpochAnswers.Answer a : answers.answers()) {
      Optional<ModelRow> model = plans.get(a.modelKey()).model();
      List<ShareRule.Share> shares = model.isPresent() ? settings.rule().combine(credited.evidence().get(a.inferenceId())) : List.of();
      Map<String, Long> corpus = model.isPresent() ? trainedOn.computeIfAbsent(model.get().modelId(), this::trainingContributors) : Map.of();
      payout.pay(a, model, shares, credited.contributorOf(), corpus);
    }
    progress.step("writing attributions and epoch_rewards for " + epoch);
    EpochWriter.write(lakehouse, epoch, payout);
    progress.step("");
    return new Summary(epoch, answers.answers().size(), payout.fallbacks(), payout.fees(), payout.paid(), payout.methods());
  }

  /** Each answer's evidence on records that {@code records} holds, and the contributor of each of those records. */
  private record Credited(Map<String, Map<AttributionMethod, Map<String, Double>>> evidence, Map<String, String> contributorOf) {}

  /** Drops candidates that {@code records} does not hold (a retrieved id the gateway logged but no DataNet accepted). */
  private Credited known(Map<String, Map<AttributionMethod, Map<String, Double>>> byAnswer) {
    Set<String> candidates = new TreeSet<>();
    byAnswer.values().forEach(e -> e.values().forEach(m -> candidates.addAll(m.keySet())));
    Map<String, String> contributorOf = evidence.contributors(candidates);
    Map<String, Map<AttributionMethod, Map<String, Double>>> out = new TreeMap<>();
    byAnswer.forEach((answer, e) -> {
      Map<AttributionMethod, Map<String, Double>> kept = new java.util.EnumMap<>(AttributionMethod.class);
      e.forEach((method, scores) -> {
        Map<String, Double> found = new LinkedHashMap<>();
        scores.forEach((record, score) -> {
          if (contributorOf.containsKey(record)) {
            found.put(record, score);
          }
        });
        if (!found.isEmpty()) {
          kept.put(method, found);
        }
      });
      out.put(answer, kept);
    });
    return new Credited(out, contributorOf);
  }

  /** The model's training records (split = train) per contributor: the pro-rata key when an answer has no evidence. */
  private Map<String, Long> trainingContributors(String modelId) {
    lakehouse.ensure(Tables.TRAINING_EXAMPLES);
    Map<String, Long> out = new TreeMap<>();
    for (Row r : lakehouse.read(Tables.TRAINING_EXAMPLES)
        .where(col("model_id").equalTo(lit(modelId)).and(col("split").equalTo(lit(TrainingSplit.TRAIN.value()))))
        .groupBy("contributor").count().collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }
}
