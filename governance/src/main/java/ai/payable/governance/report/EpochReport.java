package ai.payable.governance.report;

import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.catalog.RewardRole;
import ai.payable.core.money.TokenUnits;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the governance report shows about one epoch, read from the lakehouse. Amounts are
 * exact wei from {@code epoch_rewards} and {@code distributions}, shown to people in
 * {@code token} units; a record's or an answer's
 * earnings are estimates ({@code ≈}), its attribution share times its fee's data part, because the
 * rewards are split per contributor, not per record.
 */
public record EpochReport(
    LocalDate epoch,
    DistributionRow distribution,
    Optional<DistributionRow> previous,
    int answers,
    BigInteger feesIn,
    Map<String, BigInteger> paidByRole,
    Map<String, BigInteger> contributors,
    Map<String, BigInteger> previousContributors,
    Set<String> accountsBefore,
    List<Earner> topRecords,
    Map<String, List<Earner>> recordsByContributor,
    Map<String, List<Earner>> answersByContributor,
    List<MethodUse> methods,
    List<Fallback> fallbacks,
    List<DuplicateCluster> duplicateClusters,
    List<QuarantineReason> quarantine,
    Optional<OnChain> chain,
    List<FidelityFigure> fidelity,
    TokenUnits token) {

  /**
   * A record or an answer and what it earned (≈ wei).
   *
   * @param id record id or inference id
   * @param contributor who earned it
   * @param label DataNet of a record, model of an answer
   * @param text the start of the record's text or the answer's prompt
   * @param estimatedWei share × the data part of the fees
   * @param answers answers that credited a record (1 for an answer)
   */
  public record Earner(String id, String contributor, String label, String text, double estimatedWei, long answers) {}

  /** How much one attribution method was used: answers it credited, rows, and summed shares. */
  public record MethodUse(String method, long answers, long rows, double shares) {}

  /** An answer without positive evidence, paid to its DataNets' contributors by the fallback rule. */
  public record Fallback(String inferenceId, String model, BigInteger fee, String prompt) {}

  /** Quarantined copies of one record: how many and by whom, and what the original earned this epoch. */
  public record DuplicateCluster(String original, String originalContributor, long copies, List<String> copiers, double originalEstimatedWei) {}

  /** Lines quarantined for one reason on the epoch's day against the previous days. */
  public record QuarantineReason(String reason, long lines, double baselineMean, int baselineDays) {}

  /**
   * The distributor's live state, when the report was made with a chain connection.
   *
   * @param distributor the distributor's address, for the commands the page prints
   * @param chainId the chain it lives on
   * @param chainTime the latest block's time: the clock its timelock runs on
   */
  public record OnChain(String distributor, long chainId, String acceptedRoot, Optional<String> pendingRoot, Optional<Instant> validAt,
      boolean paused, long timelockSeconds, Instant chainTime) {}

  /** One attribution fidelity figure (e.g. from {@code benchmarks/run fidelity --json}). */
  public record FidelityFigure(String check, String measure, double value, String date) {}

  /** The records of {@code account} that earned most (accounts compare case-insensitively). */
  public List<Earner> recordsOf(String account) {
    return recordsByContributor.getOrDefault(account.toLowerCase(java.util.Locale.ROOT), List.of());
  }

  /** The answers that paid {@code account} most. */
  public List<Earner> answersOf(String account) {
    return answersByContributor.getOrDefault(account.toLowerCase(java.util.Locale.ROOT), List.of());
  }

  /** What the data contributors were paid in this epoch. */
  public BigInteger dataPaid() {
    return paidByRole.getOrDefault(RewardRole.DATA.value(), BigInteger.ZERO);
  }
}
