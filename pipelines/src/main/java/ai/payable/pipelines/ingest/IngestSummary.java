package ai.payable.pipelines.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one ingest run did: the batch, files and lines read, and lines per outcome and reason.
 * {@code lines == accepted + quarantined} always holds: every line is accounted for.
 */
public record IngestSummary(
    String kind,
    String batchId,
    int filesListed,
    int filesSkipped,
    int filesIngested,
    long lines,
    long accepted,
    long quarantined,
    Map<String, Long> reasons,
    List<Breakdown> breakdown,
    int recoveredBatches) {

  /** Lines of one DataNet (or model) and contributor (or requester) per outcome. */
  public record Breakdown(String group, String party, long accepted, long quarantined) {}

  /** A plain-text table for the terminal, with the breakdown per DataNet (or model). */
  public String render() {
    return render(false);
  }

  /** A plain-text table; {@code perParty} breaks lines down per contributor too. */
  public String render(boolean perParty) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s ingest %s: %d files listed, %d already ingested, %d read%n",
        kind, batchId == null ? "(nothing new)" : "batch " + batchId, filesListed, filesSkipped, filesIngested));
    if (recoveredBatches > 0) {
      out.append(String.format(Locale.ROOT, "recovered: removed the partial rows of %d interrupted batch(es)%n", recoveredBatches));
    }
    out.append(String.format(Locale.ROOT, "lines %d = accepted %d + quarantined %d%n", lines, accepted, quarantined));
    if (!reasons.isEmpty()) {
      out.append(String.format(Locale.ROOT, "%n  %-22s %10s%n", "reason", "lines"));
      reasons.forEach((r, n) -> out.append(String.format(Locale.ROOT, "  %-22s %10d%n", r, n)));
    }
    if (!breakdown.isEmpty() && perParty) {
      out.append(String.format(Locale.ROOT, "%n  %-20s %-44s %9s %11s%n", "datanet/model", "contributor/requester", "accepted", "quarantined"));
      for (Breakdown b : breakdown) {
        out.append(String.format(Locale.ROOT, "  %-20s %-44s %9d %11d%n", b.group(), b.party(), b.accepted(), b.quarantined()));
      }
    } else if (!breakdown.isEmpty()) {
      java.util.Map<String, long[]> groups = new java.util.TreeMap<>();
      for (Breakdown b : breakdown) {
        long[] g = groups.computeIfAbsent(b.group(), k -> new long[3]);
        g[0] += b.accepted();
        g[1] += b.quarantined();
        g[2]++;
      }
      out.append(String.format(Locale.ROOT, "%n  %-20s %12s %9s %11s%n", "datanet/model", "contributors", "accepted", "quarantined"));
      groups.forEach((k, g) -> out.append(String.format(Locale.ROOT, "  %-20s %12d %9d %11d%n", k, g[2], g[0], g[1])));
    }
    return out.toString();
  }
}
