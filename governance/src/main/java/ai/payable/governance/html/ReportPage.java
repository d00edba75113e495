package ai.payable.governance.html;

import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.catalog.RewardRole;
import ai.payable.core.money.TokenUnits;
import ai.payable.governance.anomaly.Anomaly;
import ai.payable.governance.anomaly.CheckResult;
import ai.payable.governance.chart.SvgCharts;
import ai.payable.governance.report.EpochReport;
import ai.payable.governance.report.ReportSettings;
import ai.payable.governance.stats.Inequality;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The governance report as one self-contained HTML page: inline CSS and SVG charts, no scripts and
 * no network. Figures the tests and reviewers look up carry stable ids ({@code id="paid-data"}).
 */
public final class ReportPage {

  private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
      header{background:#1f4e79;color:#fff;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px}
      main{max-width:1180px;margin:0 auto;padding:8px 32px 48px}section{background:#fff;border:1px solid #e3e3e3;border-radius:8px;padding:16px 20px;margin:16px 0}
      h2{font-size:18px;margin:0 0 12px;color:#1f4e79}table{border-collapse:collapse;width:100%;font-size:13px}
      th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eee;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
      code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
      .cards{display:flex;flex-wrap:wrap;gap:12px}.card{flex:1 1 160px;border:1px solid #e3e3e3;border-radius:6px;padding:10px 12px}
      .card b{display:block;font-size:18px;margin-top:4px;font-variant-numeric:tabular-nums}.charts{display:flex;flex-wrap:wrap;gap:16px}
      .anomaly{border-left:4px solid #c0504d;padding:6px 12px;margin:10px 0;background:#fdf3f3}.ok{border-left:4px solid #4a8c3a;padding:6px 12px;background:#f2f8f0}
      .todo{margin:4px 0 4px}@media (max-width:700px){main{padding:8px 10px 32px}header{padding:14px 12px}section{padding:12px 10px;overflow-x:auto}}
      .muted{color:#666;font-size:12px}pre{background:#f4f4f4;padding:10px;border-radius:6px;overflow-x:auto}
      """;

  private ReportPage() {}

  /** Renders the page: every check in {@code checks} is listed, with what it flagged. */
  public static String render(EpochReport r, List<CheckResult> checks, ReportSettings settings) {
    StringBuilder h = new StringBuilder(64 * 1024);
    DistributionRow d = r.distribution();
    long flagged = checks.stream().mapToLong(c -> c.found().size()).sum();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Distribution report, epoch ").append(r.epoch()).append("</title><style>").append(CSS).append("</style></head><body>\n");
    h.append("<header><h1>Distribution report &mdash; epoch <span id=\"epoch\">").append(r.epoch()).append("</span></h1><div>status <b id=\"status\">")
        .append(Html.text(d.status().value())).append("</b> &middot; ").append(flagged).append(" anomal").append(flagged == 1 ? "y" : "ies")
        .append(" to review &middot; ").append(checks.size()).append(" checks ran</div></header><main>\n");
    summary(h, r);
    review(h, r, flagged);
    verification(h, r);
    distribution(h, r);
    topContributors(h, r, settings.top());
    change(h, r, settings);
    checks(h, checks);
    methods(h, r);
    h.append("<p class=\"muted\" id=\"units\">").append(r.token().isWei()
        ? "Amounts are in wei: the reward token's symbol and decimals were not given (pass <code>--token-units SYMBOL:DECIMALS</code>, or "
            + "<code>--rpc</code> and <code>--distributor</code> to read them from the chain)."
        : "Amounts are in " + Html.text(r.token().symbol()) + " (" + r.token().decimals() + " decimals); hover an amount for its exact wei, which "
            + "the data files keep.")
        .append(" Amounts marked &asymp; are estimates for records and answers (attribution share &times; the data part of "
        + "the fee); the exact amounts per account are in <code>epoch_rewards</code> and the published balances.</p>\n");
    h.append("</main></body></html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, EpochReport r) {
    DistributionRow d = r.distribution();
    TokenUnits u = r.token();
    h.append("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
    card(h, u, "fees-in", "fees in (" + r.answers() + " answers)", r.feesIn());
    card(h, u, "paid-data", "paid to data contributors", r.dataPaid());
    card(h, u, "paid-model_builder", "paid to model builders", r.paidByRole().getOrDefault(RewardRole.MODEL_BUILDER.value(), BigInteger.ZERO));
    card(h, u, "paid-protocol", "paid to the protocol", r.paidByRole().getOrDefault(RewardRole.PROTOCOL.value(), BigInteger.ZERO));
    card(h, u, "epoch-total", "epoch total", d.epochTotalWei());
    card(h, u, "cumulative-total", "cumulative total (" + d.accounts() + " accounts)", d.cumulativeTotalWei());
    h.append("</div><table style=\"margin-top:12px\"><tr><th>Merkle root</th><td class=\"mono\" id=\"root\">").append(Html.text(d.root())).append("</td></tr>");
    h.append("<tr><th>Status</th><td>").append(Html.text(d.status().value())).append(" (updated ").append(d.updatedAt()).append(")</td></tr>");
    h.append("<tr><th>Latest transaction</th><td class=\"mono\" id=\"tx\">").append(d.txHash() == null ? "none yet" : Html.text(d.txHash())).append("</td></tr>");
    h.append("<tr><th>Artifacts</th><td class=\"mono\">").append(Html.text(d.artifactUri())).append(" (content hash ")
        .append(Html.text(d.contentHash())).append(")</td></tr></table></section>\n");
  }

  /** Where the root stands on the chain, and what the reviewer can do about it while it waits. */
  private static void review(StringBuilder h, EpochReport r, long flagged) {
    DistributionRow d = r.distribution();
    h.append("<section id=\"review\"><h2>Review window</h2><div id=\"timelock\">");
    Optional<EpochReport.OnChain> chain = r.chain();
    boolean pendingHere = chain.flatMap(EpochReport.OnChain::pendingRoot).filter(d.root()::equals).isPresent();
    if (chain.isEmpty()) {
      h.append("<p>The chain was not read for this report; the distributions table says <b>").append(Html.text(d.status().value()))
          .append("</b>. Pass <code>--rpc</code> and <code>--distributor</code> (or set <code>PAYABLE_RPC_URL</code>, <code>PAYABLE_CHAIN_ID</code> and ")
          .append("<code>PAYABLE_DISTRIBUTOR</code>) to see the time left in the timelock and the commands to stop the root.</p>");
    } else if (pendingHere) {
      EpochReport.OnChain c = chain.get();
      Instant validAt = c.validAt().orElseThrow();
      Duration left = Duration.between(c.chainTime(), validAt);
      h.append("<p class=\"").append(flagged > 0 ? "anomaly" : "ok").append("\">This root is <b>pending</b>. Its timelock ends at <b>").append(validAt)
          .append("</b> by the chain's clock, <b id=\"time-left\">").append(left.isNegative() ? "already passed" : "in " + duration(left))
          .append("</b>. <b>If nobody acts</b>, anyone can accept it then, and every account in it can claim its balance: a paid claim cannot be taken back.")
          .append(flagged > 0 ? " Review the " + flagged + " anomal" + (flagged == 1 ? "y" : "ies") + " below before then." : "").append("</p>");
      h.append("<p>To stop this root, the guardian revokes it (it never becomes claimable; the epoch goes back to <i>built</i>, to be fixed, rebuilt ")
          .append("and proposed again), with <code>PAYABLE_RPC_URL</code> and <code>PAYABLE_CHAIN_ID=").append(c.chainId()).append("</code> set:</p>")
          .append("<pre id=\"revoke-command\">payable rewards revoke --distributor ").append(Html.text(c.distributor()))
          .append(" --reason &quot;WHY&quot; --keystore GUARDIAN.json</pre>")
          .append("<p>To stop every claim at once, including those against roots accepted before, and the acceptance of this root: a paused ")
          .append("distributor accepts no root, which leaves time to revoke it even after its timelock (until <code>payable rewards unpause</code>):</p>")
          .append("<pre id=\"pause-command\">payable rewards pause --distributor ").append(Html.text(c.distributor())).append(" --keystore GUARDIAN.json</pre>");
    } else if (d.root().equals(chain.get().acceptedRoot())) {
      h.append("<p class=\"ok\">This root is <b>accepted</b>: its balances are claimable").append(chain.get().paused() ? ", but <b>claims are paused</b>" : "")
          .append(".</p>");
    } else {
      EpochReport.OnChain c = chain.get();
      h.append("<p>This root is neither pending nor accepted on the distributor (the accepted root is <code>").append(Html.text(c.acceptedRoot()))
          .append("</code>").append(c.pendingRoot().map(p -> ", the pending one <code>" + Html.text(p) + "</code>").orElse(""))
          .append("). ").append(d.status() == DistributionStatus.BUILT
              ? "It has not been proposed: its timelock of " + duration(Duration.ofSeconds(c.timelockSeconds())) + " starts when it is."
              : "A later root has replaced it; its balances are included in later cumulative roots.")
          .append("</p>");
    }
    if (chain.filter(EpochReport.OnChain::paused).isPresent()) {
      h.append("<p><b>Claims are paused</b> by the guardian.</p>");
    }
    h.append("</div></section>\n");
  }

  private static void verification(StringBuilder h, EpochReport r) {
    String uri = r.distribution().artifactUri();
    h.append("<section id=\"verify\"><h2>Verify the root yourself</h2><p>Rebuild the tree from the published cumulative balances; it must print the root above.</p>")
        .append("<pre>payable rewards tree --balances ").append(Html.text(uri.endsWith("/") ? uri : uri + "/")).append("balances.csv --out /tmp/check-")
        .append(r.epoch()).append("</pre><p class=\"muted\">The balances are cumulative: each account's line is the previous epoch's plus this epoch's rewards, so "
            + "a contributor only ever claims the increase.</p></section>\n");
  }

  private static void distribution(StringBuilder h, EpochReport r) {
    List<BigInteger> amounts = new ArrayList<>(r.contributors().values());
    double gini = Inequality.gini(amounts);
    h.append("<section id=\"distribution\"><h2>Distribution of data rewards</h2><p><span id=\"contributors\">").append(amounts.size())
        .append("</span> contributors earned this epoch; Gini coefficient <b id=\"gini\">").append(String.format(Locale.ROOT, "%.3f", gini))
        .append("</b> (0 = all equal, 1 = one takes all).</p><div class=\"charts\">");
    h.append(SvgCharts.histogram("chart-histogram", "Rewards per contributor", r.token().symbol(), amounts.stream().map(r.token()::value).toList(),
        Math.max(5, Math.min(20, amounts.size()))));
    h.append(SvgCharts.lorenz("chart-lorenz", "Lorenz curve", Inequality.lorenz(amounts)));
    h.append("</div></section>\n");
  }

  private static void topContributors(StringBuilder h, EpochReport r, int top) {
    BigInteger total = r.dataPaid();
    String unit = Html.text(r.token().symbol());
    h.append("<section id=\"top\"><h2>Top contributors</h2><table id=\"top-contributors\"><tr><th>#</th><th>account</th><th class=\"n\">").append(unit)
        .append("</th><th class=\"n\">share</th><th>records that earned most (&asymp; ").append(unit).append(")</th><th>answers that paid most (&asymp; ")
        .append(unit).append(")</th></tr>");
    int rank = 0;
    for (Map.Entry<String, BigInteger> c : r.contributors().entrySet()) {
      if (++rank > top) {
        break;
      }
      h.append("<tr><td>").append(rank).append("</td><td class=\"mono\">").append(Html.text(c.getKey())).append("</td>");
      amountCell(h, r.token(), c.getValue(), false);
      h.append("<td class=\"n\">").append(percent(c.getValue(), total)).append("</td><td>");
      earners(h, r.token(), r.recordsOf(c.getKey()));
      h.append("</td><td>");
      earners(h, r.token(), r.answersOf(c.getKey()));
      h.append("</td></tr>");
    }
    h.append("</table><h2 style=\"margin-top:16px\">Records that earned most</h2><table id=\"top-records\"><tr><th>record</th><th>DataNet</th><th>contributor</th>")
        .append("<th class=\"n\">answers</th><th class=\"n\">&asymp; ").append(unit).append("</th><th>text</th></tr>");
    for (EpochReport.Earner e : r.topRecords()) {
      h.append("<tr><td class=\"mono\">").append(Html.text(e.id())).append("</td><td>").append(Html.text(e.label())).append("</td><td class=\"mono\">")
          .append(Html.text(e.contributor())).append("</td><td class=\"n\">").append(e.answers()).append("</td><td class=\"n\">")
          .append(approx(r.token(), e.estimatedWei())).append("</td><td>").append(Html.text(e.text())).append("</td></tr>");
    }
    h.append("</table></section>\n");
  }

  private static void earners(StringBuilder h, TokenUnits units, List<EpochReport.Earner> earners) {
    for (EpochReport.Earner e : earners) {
      h.append("<div><code>").append(Html.text(abbreviate(e.id()))).append("</code> ").append(approx(units, e.estimatedWei()))
          .append(" <span class=\"muted\">").append(Html.text(abbreviate(e.text()))).append("</span></div>");
    }
  }

  private static void change(StringBuilder h, EpochReport r, ReportSettings settings) {
    h.append("<section id=\"change\"><h2>Change versus the previous epoch</h2>");
    if (r.previous().isEmpty()) {
      h.append("<p id=\"no-previous\">This is the first epoch with a distribution: every account is new.</p></section>\n");
      return;
    }
    List<String> fresh = r.contributors().keySet().stream().filter(a -> !r.accountsBefore().contains(a)).sorted().toList();
    h.append("<p>Previous epoch <b>").append(r.previous().get().epoch()).append("</b>. <span id=\"new-accounts\">").append(fresh.size())
        .append("</span> new account(s)").append(fresh.isEmpty() ? "." : ": ");
    h.append(String.join(", ", fresh.stream().map(a -> "<code>" + Html.text(a) + "</code>").toList()));
    h.append("</p>");
    Map<String, BigInteger> delta = new TreeMap<>();
    r.contributors().forEach((a, w) -> delta.put(a, w.subtract(r.previousContributors().getOrDefault(a, BigInteger.ZERO))));
    r.previousContributors().forEach((a, w) -> delta.putIfAbsent(a, w.negate()));
    List<Map.Entry<String, BigInteger>> sorted = new ArrayList<>(delta.entrySet());
    sorted.sort(Map.Entry.<String, BigInteger>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    List<Map.Entry<String, BigInteger>> gains = sorted.stream().filter(e -> e.getValue().signum() > 0).limit(settings.top()).toList();
    List<Map.Entry<String, BigInteger>> drops = sorted.stream().filter(e -> e.getValue().signum() < 0).sorted(Map.Entry.comparingByValue()).limit(settings.top()).toList();
    movers(h, "gains", "Biggest gains", gains, r);
    movers(h, "drops", "Biggest drops", drops, r);
    Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
    Map<String, Double> prev = new LinkedHashMap<>();
    Map<String, Double> now = new LinkedHashMap<>();
    r.contributors().keySet().stream().limit(settings.top()).forEach(a -> {
      prev.put(abbreviate(a), r.token().value(r.previousContributors().getOrDefault(a, BigInteger.ZERO)));
      now.put(abbreviate(a), r.token().value(r.contributors().get(a)));
    });
    bars.put(r.previous().get().epoch().toString(), prev);
    bars.put(r.epoch().toString(), now);
    h.append("<div class=\"charts\">").append(SvgCharts.bars("chart-change", "Top contributors, this epoch and the previous one", r.token().symbol(), bars)).append("</div>");
    h.append("</section>\n");
  }

  private static void movers(StringBuilder h, String id, String title, List<Map.Entry<String, BigInteger>> movers, EpochReport r) {
    h.append("<h3>").append(title).append("</h3><table id=\"").append(id).append("\"><tr><th>account</th><th class=\"n\">previous</th><th class=\"n\">this epoch</th>")
        .append("<th class=\"n\">change (").append(Html.text(r.token().symbol())).append(")</th></tr>");
    for (Map.Entry<String, BigInteger> m : movers) {
      h.append("<tr><td class=\"mono\">").append(Html.text(m.getKey())).append("</td>");
      amountCell(h, r.token(), r.previousContributors().getOrDefault(m.getKey(), BigInteger.ZERO), false);
      amountCell(h, r.token(), r.contributors().getOrDefault(m.getKey(), BigInteger.ZERO), false);
      amountCell(h, r.token(), m.getValue(), true);
      h.append("</tr>");
    }
    if (movers.isEmpty()) {
      h.append("<tr><td colspan=\"4\" class=\"muted\">none</td></tr>");
    }
    h.append("</table>");
  }

  private static void checks(StringBuilder h, List<CheckResult> checks) {
    long flagged = checks.stream().mapToLong(c -> c.found().size()).sum();
    h.append("<section id=\"anomalies\"><h2>Checks and anomalies to review (<span id=\"anomaly-count\">").append(flagged).append("</span>)</h2>");
    h.append("<table id=\"checks\"><tr><th>check</th><th>flags</th><th>threshold</th><th>result</th></tr>");
    for (CheckResult c : checks) {
      h.append("<tr data-kind=\"").append(c.kind().name()).append("\"><td>").append(Html.text(c.kind().title())).append("</td><td>")
          .append(Html.text(c.kind().flags())).append("</td><td>").append(Html.text(c.threshold())).append("</td><td>")
          .append(c.skipped().map(why -> "<span class=\"muted\">not run: " + Html.text(why) + "</span>")
              .orElse(c.found().isEmpty() ? "ok" : "<b>" + c.found().size() + " flagged</b>"))
          .append("</td></tr>");
    }
    h.append("</table>");
    if (flagged == 0) {
      h.append("<div class=\"ok\" style=\"margin-top:10px\">No check raised anything.</div>");
    }
    for (CheckResult c : checks) {
      for (Anomaly a : c.found()) {
        h.append("<div class=\"anomaly\" data-kind=\"").append(a.kind().name()).append("\"><b>").append(Html.text(a.kind().title())).append("</b> &middot; <code>")
            .append(Html.text(a.subject())).append("</code>: ").append(Html.text(a.summary())).append("<ul>");
        a.evidence().forEach(line -> h.append("<li>").append(Html.text(line)).append("</li>"));
        h.append("</ul><div class=\"todo\"><b>What to do:</b> ").append(Html.text(a.kind().whatToDo())).append("</div></div>");
      }
    }
    h.append("</section>\n");
  }

  private static void methods(StringBuilder h, EpochReport r) {
    h.append("<section id=\"methods\"><h2>Attribution methods and fidelity</h2><table id=\"method-mix\"><tr><th>method</th><th class=\"n\">answers</th>")
        .append("<th class=\"n\">credited rows</th><th class=\"n\">share of answers' data part</th></tr>");
    double shares = r.methods().stream().mapToDouble(EpochReport.MethodUse::shares).sum();
    Map<String, Double> mix = new LinkedHashMap<>();
    for (EpochReport.MethodUse m : r.methods()) {
      h.append("<tr><td>").append(Html.text(m.method())).append("</td><td class=\"n\">").append(m.answers()).append("</td><td class=\"n\">").append(m.rows())
          .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.1f%%", shares == 0 ? 0 : 100 * m.shares() / shares)).append("</td></tr>");
      mix.put(m.method(), m.shares());
    }
    h.append("</table><div class=\"charts\">").append(SvgCharts.bars("chart-methods", "Credit by attribution method", "summed shares", Map.of("shares", mix)));
    Map<String, Double> today = new LinkedHashMap<>();
    Map<String, Double> baseline = new LinkedHashMap<>();
    r.quarantine().stream().sorted(Comparator.comparing(EpochReport.QuarantineReason::reason)).forEach(q -> {
      today.put(q.reason(), (double) q.lines());
      baseline.put(q.reason(), q.baselineMean());
    });
    Map<String, Map<String, Double>> quarantine = new LinkedHashMap<>();
    quarantine.put("epoch day", today);
    quarantine.put("daily mean before", baseline);
    h.append(SvgCharts.bars("chart-quarantine", "Quarantined lines by reason", "lines", quarantine, "No line was quarantined")).append("</div>");
    h.append("<h3>Fidelity</h3>");
    if (r.fidelity().isEmpty()) {
      h.append("<p id=\"fidelity\" class=\"muted\">No fidelity figures were given: run <code>benchmarks/run fidelity --json fidelity.json</code> and pass "
          + "<code>--fidelity fidelity.json</code>.</p>");
    } else {
      h.append("<table id=\"fidelity\"><tr><th>check</th><th>measure</th><th class=\"n\">value</th><th>measured</th></tr>");
      r.fidelity().forEach(f -> h.append("<tr><td>").append(Html.text(f.check())).append("</td><td>").append(Html.text(f.measure())).append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%.3f", f.value())).append("</td><td>").append(Html.text(f.date())).append("</td></tr>"));
      h.append("</table>");
    }
    h.append("</section>\n");
  }

  private static void card(StringBuilder h, TokenUnits units, String id, String label, BigInteger wei) {
    h.append("<div class=\"card\">").append(Html.text(label)).append("<b id=\"").append(id).append("\" data-wei=\"").append(wei).append("\">")
        .append(Html.text(units.format(wei))).append("</b>");
    if (!units.isWei()) {
      h.append("<span class=\"muted\">").append(wei).append(" wei</span>");
    }
    h.append("</div>");
  }

  /** A table cell with an exact amount in token units, its wei in the tooltip. */
  private static void amountCell(StringBuilder h, TokenUnits units, BigInteger wei, boolean signed) {
    h.append("<td class=\"n\" title=\"").append(wei).append(" wei\" data-wei=\"").append(wei).append("\">").append(signed && wei.signum() > 0 ? "+" : "")
        .append(Html.text(units.amount(wei))).append("</td>");
  }

  /** An estimate, in token units to four significant digits, without the symbol (the column names it). */
  private static String approx(TokenUnits units, double estimatedWei) {
    return Html.text(units.amountApproximate(estimatedWei));
  }

  private static String duration(Duration d) {
    long hours = d.toHours();
    return hours > 0 ? hours + " h " + d.toMinutesPart() + " min" : d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
  }

  private static String percent(BigInteger part, BigInteger whole) {
    return whole.signum() == 0 ? "0.00%" : String.format(Locale.ROOT, "%.2f%%", 100 * new java.math.BigDecimal(part)
        .divide(new java.math.BigDecimal(whole), java.math.MathContext.DECIMAL64).doubleValue());
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() <= 48 ? s : s.substring(0, 45) + "…";
  }
}
