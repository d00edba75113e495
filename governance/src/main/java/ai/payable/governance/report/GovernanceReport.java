package ai.payable.governance.report;

import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.TokenUnits;
import ai.payable.governance.anomaly.Anomaly;
import ai.payable.governance.anomaly.AnomalyRules;
import ai.payable.governance.anomaly.CheckResult;
import ai.payable.governance.html.ReportPage;
import ai.payable.governance.stats.Inequality;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes an epoch's governance report: {@code report-EPOCH.html} (self-contained) and
 * {@code report-EPOCH.json} (the same figures for machines) into one directory.
 */
public final class GovernanceReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the report went and what it found. */
  public record Written(Path html, Path json, EpochReport report, List<CheckResult> checks, List<Anomaly> anomalies) {}

  private final Lakehouse lakehouse;
  private final ReportSettings settings;

  public GovernanceReport(Lakehouse lakehouse, ReportSettings settings) {
    this.lakehouse = lakehouse;
    this.settings = settings;
  }

  /**
   * Reads the epoch, checks it and writes both files into {@code outDir}.
   *
   * @param token how the page shows amounts; the JSON keeps wei and names the token
   */
  public Written write(LocalDate epoch, Path outDir, Optional<EpochReport.OnChain> chain, List<EpochReport.FidelityFigure> fidelity, TokenUnits token)
      throws IOException {
    EpochReport report = new EpochReportReader(lakehouse, settings).read(epoch, chain, fidelity, token);
    List<CheckResult> checks = new AnomalyRules(settings).run(report);
    List<Anomaly> anomalies = checks.stream().flatMap(c -> c.found().stream()).toList();
    Files.createDirectories(outDir);
    Path html = outDir.resolve("report-" + epoch + ".html");
    Path json = outDir.resolve("report-" + epoch + ".json");
    Files.writeString(html, ReportPage.render(report, checks, settings), StandardCharsets.UTF_8);
    JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), summary(report, checks, settings.top()));
    return new Written(html, json, report, checks, anomalies);
  }

  /**
   * Reads fidelity figures from a JSON array of {@code {"check","measure","value","date"}}, as
   * {@code benchmarks/run fidelity --json FILE} writes them.
   */
  public static List<EpochReport.FidelityFigure> readFidelity(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("fidelity file " + file + " does not exist; write it with `benchmarks/run fidelity --json " + file + "`");
    }
    List<EpochReport.FidelityFigure> out = new ArrayList<>();
    int i = 0;
    for (var node : JSON.readTree(file.toFile())) {
      i++;
      if (!node.path("check").isTextual() || !node.path("value").isNumber()) {
        throw new IllegalArgumentException(file + ": entry " + i + " needs a text 'check' and a numeric 'value', got " + node);
      }
      out.add(new EpochReport.FidelityFigure(node.path("check").asText(), node.path("measure").asText(""), node.path("value").asDouble(),
          node.path("date").asText("")));
    }
    return out;
  }

  private static ObjectNode summary(EpochReport r, List<CheckResult> checks, int topN) {
    ObjectNode s = JSON.createObjectNode();
    DistributionRow d = r.distribution();
    s.put("epoch", r.epoch().toString());
    s.put("root", d.root());
    s.put("status", d.status().value());
    s.put("tx_hash", d.txHash());
    s.put("artifact_uri", d.artifactUri());
    s.put("answers", r.answers());
    if (!r.token().isWei()) {
      s.putObject("token").put("symbol", r.token().symbol()).put("decimals", r.token().decimals());
    }
    ObjectNode totals = s.putObject("totals_wei");
    totals.put("fees_in", r.feesIn().toString());
    r.paidByRole().forEach((role, wei) -> totals.put(role, wei.toString()));
    totals.put("epoch", d.epochTotalWei().toString());
    totals.put("cumulative", d.cumulativeTotalWei().toString());
    s.put("accounts", d.accounts());
    s.put("contributors", r.contributors().size());
    s.put("gini", Inequality.gini(r.contributors().values()));
    ArrayNode top = s.putArray("top_contributors");
    r.contributors().entrySet().stream().limit(topN).forEach(e -> top.addObject().put("account", e.getKey()).put("wei", e.getValue().toString()));
    ArrayNode fresh = s.putArray("new_accounts");
    r.contributors().keySet().stream().filter(a -> !r.accountsBefore().contains(a)).sorted().forEach(fresh::add);
    ObjectNode methods = s.putObject("methods");
    r.methods().forEach(m -> methods.putObject(m.method()).put("answers", m.answers()).put("rows", m.rows()).put("shares", m.shares()));
    s.put("fallback_answers", r.fallbacks().size());
    ArrayNode ran = s.putArray("checks");
    ArrayNode a = s.putArray("anomalies");
    for (CheckResult c : checks) {
      ObjectNode n = ran.addObject().put("kind", c.kind().name()).put("threshold", c.threshold()).put("flagged", c.found().size());
      c.skipped().ifPresent(why -> n.put("skipped", why));
      for (Anomaly anomaly : c.found()) {
        ObjectNode f = a.addObject().put("kind", anomaly.kind().name()).put("subject", anomaly.subject()).put("summary", anomaly.summary());
        anomaly.evidence().forEach(f.putArray("evidence")::add);
      }
    }
    ObjectNode quarantine = s.putObject("quarantine_today");
    r.quarantine().forEach(q -> quarantine.put(q.reason(), q.lines()));
    return s;
  }
}
