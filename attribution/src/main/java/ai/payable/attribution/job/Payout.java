package ai.payable.attribution.job;

import ai.payable.attribution.combine.ShareRule;
import ai.payable.attribution.split.Allocation;
import ai.payable.attribution.split.FeeSplit;
import ai.payable.core.catalog.AttributionMethod;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.RewardRole;
import ai.payable.core.identity.Address;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns answers' fees into an epoch's rewards, exactly: each fee splits into protocol, model builder
 * and data parts ({@link FeeSplit}); the data part goes to the contributors of the records credited
 * by the answer's shares, or, without evidence, pro rata over the model's training records, or,
 * for a model no DataNet trained, to the treasury. Collects the {@code attributions} rows that say
 * why.
 */
final class Payout {

  private final LocalDate epoch;
  private final AttributionSettings settings;
  private final List<Row> attributions = new ArrayList<>();
  private final Map<RewardRole, Map<String, BigInteger>> rewards = new java.util.EnumMap<>(RewardRole.class); // role → account → wei
  private final Map<String, Integer> methods = new TreeMap<>();
  private BigInteger fees = BigInteger.ZERO;
  private int fallbacks;

  Payout(LocalDate epoch, AttributionSettings settings) {
    this.epoch = epoch;
    this.settings = settings;
  }

  /**
   * Pays one answer.
   *
   * @param shares the answer's combined shares (empty: no evidence)
   * @param contributorOf contributor of each credited record
   * @param trainedOn the model's training records per contributor (empty for a model no DataNet trained)
   */
  void pay(EpochAnswers.Answer a, Optional<ModelRow> model, List<ShareRule.Share> shares, Map<String, String> contributorOf,
      Map<String, Long> trainedOn) {
    fees = fees.add(a.fee());
    FeeSplit.Parts parts = settings.fees().split(a.fee());
    add(RewardRole.PROTOCOL, settings.treasury(), parts.protocol());
    add(RewardRole.MODEL_BUILDER, model.flatMap(ModelRow::owner).orElse(settings.treasury()), parts.builder());
    Map<String, Double> byContributor = new TreeMap<>();
    if (!shares.isEmpty()) {
      for (ShareRule.Share share : shares) {
        String contributor = contributorOf.get(share.recordId());
        byContributor.merge(contributor, share.share(), Double::sum);
        row(a, share.recordId(), contributor, share.method(), share.score(), share.share());
      }
    } else if (!trainedOn.isEmpty()) {
      fallbacks++;
      long total = trainedOn.values().stream().mapToLong(Long::longValue).sum();
      trainedOn.forEach((contributor, records) -> {
        double share = (double) records / total;
        byContributor.put(contributor, share);
        row(a, null, contributor, AttributionMethod.FALLBACK, 0.0, share);
      });
    } else {
      // An answer of a model we do not know, or of a base no DataNet trained: nobody's data can be
      // credited, so its data part goes to the treasury, as protocol revenue, not as a
      // contributor's reward.
      fallbacks++;
      row(a, null, settings.treasury(), AttributionMethod.FALLBACK, 0.0, 1.0);
      add(RewardRole.PROTOCOL, settings.treasury(), parts.data());
      return;
    }
    if (parts.data().signum() > 0) {
      Allocation.split(parts.data(), Allocation.weights(byContributor, 1_000_000_000L)).forEach((account, wei) -> add(RewardRole.DATA, account, wei));
    }
  }

  private void row(EpochAnswers.Answer a, String recordId, String contributor, AttributionMethod method, double score, double share) {
    attributions.add(RowFactory.create(Date.valueOf(epoch), a.inferenceId(), recordId, contributor, method.value(), score, share));
    methods.merge(method.value(), 1, Integer::sum);
  }

  private void add(RewardRole role, String account, BigInteger wei) {
    if (wei.signum() > 0) {
      // One spelling per account, so the distribution's per-account sums never see two.
      rewards.computeIfAbsent(role, r -> new TreeMap<>()).merge(Address.parse(account).checksummed(), wei, BigInteger::add);
    }
  }

  /** The {@code attributions} rows of the epoch so far. */
  List<Row> attributions() {
    return attributions;
  }

  /** The {@code epoch_rewards} rows: one per role and account with a positive amount. */
  List<Row> rewards() {
    List<Row> rows = new ArrayList<>();
    rewards.forEach((role, accounts) -> accounts.forEach((account, wei) ->
        rows.add(RowFactory.create(Date.valueOf(epoch), account, role.value(), new BigDecimal(wei)))));
    return rows;
  }

  /** Everything paid out. */
  BigInteger paid() {
    return rewards.values().stream().flatMap(m -> m.values().stream()).reduce(BigInteger.ZERO, BigInteger::add);
  }

  BigInteger fees() {
    return fees;
  }

  int fallbacks() {
    return fallbacks;
  }

  /** Attribution rows per method. */
  Map<String, Integer> methods() {
    return methods;
  }
}
