package ai.payable.governance.report;

import ai.payable.core.catalog.AttributionMethod;
import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.catalog.RecordKind;
import ai.payable.core.catalog.RewardRole;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.TokenUnits;
import ai.payable.core.stage.MissingInputException;
import ai.payable.governance.report.EpochReport.DuplicateCluster;
import ai.payable.governance.report.EpochReport.Earner;
import ai.payable.governance.report.EpochReport.Fallback;
import ai.payable.governance.report.EpochReport.FidelityFigure;
import ai.payable.governance.report.EpochReport.MethodUse;
import ai.payable.governance.report.EpochReport.OnChain;
import ai.payable.governance.report.EpochReport.QuarantineReason;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/** Reads one epoch's {@link EpochReport} from the lakehouse tables with Spark SQL. */
public final class EpochReportReader {

  private final Lakehouse lakehouse;
  private final ReportSettings settings;

  public EpochReportReader(Lakehouse lakehouse, ReportSettings settings) {
    this.lakehouse = lakehouse;
    this.settings = settings;
  }

  /**
   * Reads the epoch; fails with what to run when the epoch has no distribution yet.
   *
   * @param chain the distributor's state, when known
   * @param fidelity the latest fidelity figures, possibly none
   * @param token how amounts are shown ({@link TokenUnits#WEI} when the token is not known)
   */
  public EpochReport read(LocalDate epoch, Optional<OnChain> chain, List<FidelityFigure> fidelity, TokenUnits token) {
    lakehouse.registerViews();
    String e = "DATE'" + epoch + "'";
    DistributionRow distribution = distribution("SELECT * FROM distributions WHERE epoch = " + e).orElseThrow(() -> new MissingInputException(
        "epoch " + epoch + " has no distribution in " + lakehouse.root(), MissingInputException.Remedy.ATTRIBUTE_AND_BUILD, epoch));
    Optional<DistributionRow> previous = distribution("SELECT * FROM distributions WHERE epoch < " + e + " ORDER BY epoch DESC LIMIT 1");

    Row fees = sql("SELECT count(*), coalesce(sum(fee_wei), 0) FROM inferences WHERE epoch = " + e).get(0);
    Map<String, BigInteger> paid = new TreeMap<>();
    sql("SELECT role, sum(amount_wei) FROM epoch_rewards WHERE epoch = " + e + " GROUP BY role").forEach(r -> paid.put(r.getString(0), wei(r, 1)));
    Map<String, BigInteger> contributors = amounts("epoch = " + e);
    Map<String, BigInteger> previousContributors = previous.map(p -> amounts("epoch = DATE'" + p.epoch() + "'")).orElse(Map.of());
    Set<String> before = new HashSet<>();
    sql("SELECT DISTINCT account FROM epoch_rewards WHERE epoch < " + e).forEach(r -> before.add(r.getString(0)));

    BigInteger totalFees = wei(fees, 1);
    BigInteger dataPaid = paid.getOrDefault(RewardRole.DATA.value(), BigInteger.ZERO);
    // The fraction of each fee that went to data: what turns attribution shares into ≈ wei.
    double dataFraction = totalFees.signum() == 0 ? 0 : new BigDecimal(dataPaid).divide(new BigDecimal(totalFees), java.math.MathContext.DECIMAL64).doubleValue();
    // Accounts are compared lower-cased: records keep the signer's spelling, epoch_rewards the checksummed one.
    lakehouse.spark().sql("SELECT a.inference_id, a.record_id, lower(a.contributor) AS contributor, a.method, a.share, a.share * CAST(i.fee_wei AS DOUBLE) * " + dataFraction
        + " AS earned, i.model_id, i.adapter_id, i.prompt FROM attributions a JOIN inferences i ON a.inference_id = i.inference_id AND i.epoch = a.epoch WHERE a.epoch = "
        + e).createOrReplaceTempView("report_credit");
    String recordEarnings = "SELECT c.record_id AS id, c.contributor, r.datanet AS label, substr(CASE WHEN r.kind = '" + RecordKind.QA.value() + "' THEN concat(r.prompt, ' → ', r.completion)"
        + " ELSE r.text END, 1, 160) AS text, sum(c.earned) AS earned, count(DISTINCT c.inference_id) AS answers FROM report_credit c"
        + " LEFT JOIN records r ON r.record_id = c.record_id WHERE c.record_id IS NOT NULL GROUP BY c.record_id, c.contributor, r.datanet, r.kind, r.prompt,"
        + " r.completion, r.text";
    List<Earner> topRecords = sql(recordEarnings + " ORDER BY earned DESC, id LIMIT " + settings.top()).stream().map(EpochReportReader::earner).toList();
    Map<String, List<Earner>> recordsBy = topPerContributor(recordEarnings);
    Map<String, List<Earner>> answersBy = topPerContributor("SELECT inference_id AS id, contributor, coalesce(adapter_id, model_id) AS label,"
        + " substr(first(prompt), 1, 160) AS text, sum(earned) AS earned, 1L AS answers FROM report_credit GROUP BY inference_id, contributor, adapter_id, model_id");

    List<MethodUse> methods = sql("SELECT method, count(DISTINCT inference_id), count(*), sum(share) FROM attributions WHERE epoch = " + e
        + " GROUP BY method ORDER BY method").stream().map(r -> new MethodUse(r.getString(0), r.getLong(1), r.getLong(2), r.getDouble(3))).toList();
    List<Fallback> fallbacks = sql("SELECT i.inference_id, coalesce(i.adapter_id, i.model_id), i.fee_wei, substr(i.prompt, 1, 160) FROM inferences i"
        + " WHERE i.epoch = " + e + " AND i.inference_id IN (SELECT inference_id FROM attributions WHERE epoch = " + e + " AND method = '" + AttributionMethod.FALLBACK.value() + "')"
        + " ORDER BY i.fee_wei DESC, i.inference_id").stream().map(r -> new Fallback(r.getString(0), r.getString(1), wei(r, 2), r.getString(3))).toList();
    List<DuplicateCluster> clusters = sql("SELECT q.duplicate_of, first(r.contributor), count(*), sort_array(collect_set(q.contributor)),"
        + " coalesce(first(earned.w), 0D) FROM quarantine q LEFT JOIN records r ON r.record_id = q.duplicate_of"
        + " LEFT JOIN (SELECT record_id, sum(earned) AS w FROM report_credit GROUP BY record_id) earned ON earned.record_id = q.duplicate_of"
        // Every copy known when the report is made, also those submitted after the epoch: governance reviews during the
        // timelock, and a record copied the next morning is still the record that earned today.
        + " WHERE q.duplicate_of IS NOT NULL"
        + " GROUP BY q.duplicate_of ORDER BY count(*) DESC, q.duplicate_of").stream()
        .map(r -> new DuplicateCluster(r.getString(0), r.getString(1), r.getLong(2), r.getList(3), r.getDouble(4))).toList();
    return new EpochReport(epoch, distribution, previous, (int) fees.getLong(0), totalFees, paid, contributors, previousContributors, before, topRecords,
        recordsBy, answersBy, methods, fallbacks, clusters, quarantine(epoch), chain, List.copyOf(fidelity), token);
  }

  /** Lines per reason on the epoch's day, against the mean of the previous days that quarantined anything. */
  private List<QuarantineReason> quarantine(LocalDate epoch) {
    LocalDate from = epoch.minusDays(settings.baselineDays());
    Map<String, long[]> today = new TreeMap<>();
    Map<String, Long> baseline = new TreeMap<>();
    Set<LocalDate> days = new HashSet<>();
    for (Row r : sql("SELECT to_date(quarantined_at) AS day, reason, count(*) FROM quarantine LATERAL VIEW explode(reasons) t AS reason"
        + " WHERE to_date(quarantined_at) BETWEEN DATE'" + from + "' AND DATE'" + epoch + "' GROUP BY day, reason")) {
      LocalDate day = r.getDate(0).toLocalDate();
      if (day.equals(epoch)) {
        today.computeIfAbsent(r.getString(1), k -> new long[1])[0] += r.getLong(2);
      } else {
        days.add(day);
        baseline.merge(r.getString(1), r.getLong(2), Long::sum);
        today.computeIfAbsent(r.getString(1), k -> new long[1]);
      }
    }
    List<QuarantineReason> out = new ArrayList<>();
    today.forEach((reason, n) -> out.add(new QuarantineReason(reason, n[0], days.isEmpty() ? 0 : baseline.getOrDefault(reason, 0L) / (double) days.size(),
        days.size())));
    return out;
  }

  private Map<String, List<Earner>> topPerContributor(String earnings) {
    Map<String, List<Earner>> out = new TreeMap<>();
    sql("SELECT * FROM (SELECT x.*, row_number() OVER (PARTITION BY contributor ORDER BY earned DESC, id) AS rank FROM (" + earnings
        + ") x) WHERE rank <= 3 ORDER BY contributor, rank").forEach(r -> out.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(earner(r)));
    return out;
  }

  private static Earner earner(Row r) {
    return new Earner(r.getString(0), r.getString(1), r.isNullAt(2) ? "" : r.getString(2), r.isNullAt(3) ? "" : r.getString(3), r.getDouble(4), r.getLong(5));
  }

  private Map<String, BigInteger> amounts(String where) {
    Map<String, BigInteger> out = new LinkedHashMap<>();
    sql("SELECT account, sum(amount_wei) AS w FROM epoch_rewards WHERE role = '" + RewardRole.DATA.value() + "' AND " + where
        + " GROUP BY account ORDER BY w DESC, account").forEach(r -> out.put(r.getString(0), wei(r, 1)));
    return out;
  }

  private Optional<DistributionRow> distribution(String query) {
    return sql(query).stream().findFirst().map(DistributionRow::fromRow);
  }

  private static BigInteger wei(Row r, int i) {
    return r.isNullAt(i) ? BigInteger.ZERO : r.getDecimal(i).toBigIntegerExact();
  }

  private List<Row> sql(String query) {
    return lakehouse.spark().sql(query).collectAsList();
  }
}
