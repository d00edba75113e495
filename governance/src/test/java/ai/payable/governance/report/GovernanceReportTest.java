package ai.payable.governance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.money.TokenUnits;
import ai.payable.core.stage.MissingInputException;
import ai.payable.core.testing.HeadlessChromium;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.governance.anomaly.Anomaly;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.rewards.distribution.DistributionBuilder;
import ai.payable.rewards.merkle.ClaimDomain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Two epochs of real ingested records with attributions and rewards built to raise every
 * anomaly, reported and opened in a real headless Chromium.
 */
class GovernanceReportTest extends SparkTestBase {

  private static final LocalDate DAY1 = LocalDate.parse("2026-11-24");
  private static final LocalDate DAY2 = LocalDate.parse("2026-11-25");
  private static final String TREASURY = "0x000000000000000000000000000000000000dEaD";
  private static final String BUILDER = "0x00000000000000000000000000000000000b0b0b";

  /** Four contributors' records: c[i] is the contributor, r[i] one of their records. */
  private final List<String> c = new ArrayList<>();
  private final List<String> r = new ArrayList<>();

  @Test
  void reportsTheEpochAndAChromiumRendersIt() throws Exception {
    build();
    Path out = scratch.resolve("reports");
    GovernanceReport.Written first = new GovernanceReport(lakehouse, ReportSettings.DEFAULT).write(DAY1, out, Optional.empty(), List.of(), TokenUnits.WEI);
    String firstPage = Files.readString(first.html());
    assertTrue(firstPage.contains("id=\"no-previous\""), "the first epoch has nothing to compare with");
    assertTrue(firstPage.contains("<td>Share jump</td>") && firstPage.contains("not run: no previous epoch to compare with"),
        "a check that cannot run says so, rather than reading as passed");
    assertTrue(firstPage.contains("Amounts are in wei: the reward token's symbol and decimals were not given"), "without units the page says why");

    // What the tables say, independently of the report's own queries.
    Row dist = lakehouse.spark().sql("SELECT root, cumulative_total_wei FROM delta.`" + lakehouse.path(Tables.DISTRIBUTIONS) + "` WHERE epoch = DATE'" + DAY2 + "'").head();
    Path fidelity = Files.writeString(scratch.resolve("fidelity.json"),
        "[{\"check\":\"LDS\",\"measure\":\"DataInf Spearman\",\"value\":0.162,\"date\":\"2026-11-25\"}]");
    // The epoch's own root is pending, five and a half hours before its timelock ends; the token has 3 decimals, so 2100 wei read 2.1 PAYT.
    String distributor = "0x" + "33".repeat(20);
    GovernanceReport.Written w = new GovernanceReport(lakehouse, ReportSettings.DEFAULT).write(DAY2, out,
        Optional.of(new EpochReport.OnChain(distributor, 31337, "0x" + "11".repeat(32), Optional.of(dist.getString(0)), Optional.of(Instant.parse("2026-11-26T00:00:00Z")),
            false, 86400, Instant.parse("2026-11-25T18:30:00Z"))),
        GovernanceReport.readFidelity(fidelity), new TokenUnits("PAYT", 3));
    Map<String, Long> data = new TreeMap<>();
    lakehouse.read(Tables.EPOCH_REWARDS).where("role = 'data' AND epoch = DATE'" + DAY2 + "'").collectAsList()
        .forEach(x -> data.put(x.getString(1), x.<BigDecimal>getAs("amount_wei").longValueExact()));
    assertEquals(Map.of(checksummed(2), 2100L, checksummed(1), 700L, checksummed(0), 350L, checksummed(3), 350L), data);

    Set<Anomaly.Kind> kinds = w.anomalies().stream().map(Anomaly::kind).collect(Collectors.toSet());
    assertEquals(Set.of(Anomaly.Kind.values()), kinds, "every check fires on this epoch: " + w.anomalies());
    assertEquals(checksummed(2), only(w.anomalies(), Anomaly.Kind.SHARE_JUMP).subject(), "16.7% → 60% is a ×3.6 jump");
    assertEquals(r.get(2), only(w.anomalies(), Anomaly.Kind.RECORD_CONCENTRATION).subject());
    assertEquals(r.get(2), only(w.anomalies(), Anomaly.Kind.NEAR_DUPLICATES).subject());
    assertEquals("MALFORMED_JSON", only(w.anomalies(), Anomaly.Kind.QUARANTINE_SPIKE).subject());
    assertTrue(only(w.anomalies(), Anomaly.Kind.NO_EVIDENCE).summary().startsWith("1 of 5 answers (fees 1 PAYT)"));
    assertEquals(5, w.checks().size());

    JsonNode json = new ObjectMapper().readTree(w.json().toFile());
    assertEquals(dist.getString(0), json.path("root").asText());
    assertEquals("5000", json.path("totals_wei").path("fees_in").asText());
    assertEquals("3500", json.path("totals_wei").path("data").asText());
    assertEquals(List.of(checksummed(3)), List.of(json.path("new_accounts").get(0).asText()));
    assertEquals("PAYT", json.path("token").path("symbol").asText(), "the JSON keeps wei and names the token");
    assertEquals(5, json.path("checks").size());

    ChromeDriver browser = HeadlessChromium.start(1280, 5200);
    try {
      browser.get(w.html().toUri().toString());
      List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()).toList();
      assertEquals(List.of(), errors, "the page loads without console errors");
      assertEquals(dist.getString(0), text(browser, "root"));
      assertEquals("5 PAYT", text(browser, "fees-in"));
      assertEquals("5000", browser.findElement(By.id("fees-in")).getAttribute("data-wei"), "the exact wei stays on the page");
      assertEquals(String.valueOf(data.values().stream().mapToLong(Long::longValue).sum()), browser.findElement(By.id("paid-data")).getAttribute("data-wei"));
      assertEquals("3.5 PAYT", text(browser, "paid-data"));
      assertEquals("1 PAYT", text(browser, "paid-model_builder"));
      assertEquals("0.5 PAYT", text(browser, "paid-protocol"));
      assertEquals(dist.<BigDecimal>getAs(1).toBigIntegerExact().toString(), browser.findElement(By.id("cumulative-total")).getAttribute("data-wei"));
      assertEquals("4", text(browser, "contributors"));
      assertEquals(String.format(java.util.Locale.ROOT, "%.3f", ai.payable.governance.stats.GiniDefinition.of(data.values().stream().mapToLong(Long::longValue).toArray())), text(browser, "gini"));
      assertEquals("1", text(browser, "new-accounts"));
      assertEquals("5", text(browser, "anomaly-count"));
      List<WebElement> firstRow = browser.findElement(By.id("top-contributors")).findElements(By.tagName("tr")).get(1).findElements(By.tagName("td"));
      assertEquals(List.of(checksummed(2), "2.1", "60.00%"), List.of(firstRow.get(1).getText(), firstRow.get(2).getText(), firstRow.get(3).getText()));
      assertEquals("2100 wei", firstRow.get(2).getAttribute("title"));
      assertTrue(firstRow.get(4).getText().startsWith(r.get(2).substring(0, 45)), "the record that earned it: " + firstRow.get(4).getText());
      assertTrue(firstRow.get(5).getText().contains("b1"), "the answers that paid it: " + firstRow.get(5).getText());
      // The review window: the time left, what happens if nobody acts, and the exact commands that stop the root.
      String review = text(browser, "timelock");
      assertTrue(review.contains("This root is pending") && review.contains("2026-11-26T00:00:00Z") && review.contains("in 5 h 30 min"), review);
      assertTrue(review.contains("If nobody acts, anyone can accept it then") && review.contains("Review the 5 anomalies below"), review);
      assertEquals("payable rewards revoke --distributor " + distributor + " --reason \"WHY\" --keystore GUARDIAN.json", text(browser, "revoke-command"));
      assertEquals("payable rewards pause --distributor " + distributor + " --keystore GUARDIAN.json", text(browser, "pause-command"));
      // Every check is listed with its threshold and result, and each anomaly says what to do.
      List<WebElement> checkRows = browser.findElement(By.id("checks")).findElements(By.cssSelector("tr[data-kind]"));
      assertEquals(Anomaly.Kind.values().length, checkRows.size());
      assertTrue(checkRows.get(0).getText().contains("share grew more than ×3.0 (shares ≥ 1%)") && checkRows.get(0).getText().contains("1 flagged"),
          checkRows.get(0).getText());
      assertEquals(5, browser.findElements(By.cssSelector(".anomaly .todo")).size(), "each anomaly says what to do");
      assertTrue(browser.findElement(By.id("fidelity")).getText().contains("0.162"));
      for (String chart : List.of("chart-histogram", "chart-lorenz", "chart-change", "chart-methods", "chart-quarantine")) {
        WebElement svg = browser.findElement(By.id(chart));
        assertTrue(svg.getSize().getWidth() > 400 && svg.getSize().getHeight() > 200, chart + " is drawn at " + svg.getSize());
        assertTrue(svg.findElements(By.cssSelector("path, rect")).size() > 5, chart + " has shapes");
      }
      Path screenshot = Path.of("target", "report-" + DAY2 + ".png").toAbsolutePath();
      Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
      assertTrue(Files.size(screenshot) > 20_000, "a real screenshot: " + screenshot);
      System.out.println("report screenshot: " + screenshot);
    } finally {
      browser.quit();
    }
  }

  @Test
  void anEpochWithoutADistributionSaysWhatToRun() {
    MissingInputException e = assertThrows(MissingInputException.class,
        () -> new GovernanceReport(lakehouse, ReportSettings.DEFAULT).write(DAY1, scratch, Optional.empty(), List.of(), TokenUnits.WEI));
    assertEquals("epoch 2026-11-24 has no distribution in " + lakehouse.root(), e.getMessage());
    assertEquals(MissingInputException.Remedy.ATTRIBUTE_AND_BUILD, e.remedy(), "the epoch is attributed, then its distribution built");
    assertEquals(Optional.of(DAY1), e.epoch());
  }

  private String checksummed(int contributor) {
    return ai.payable.core.identity.Address.parse(c.get(contributor)).checksummed();
  }

  private static Anomaly only(List<Anomaly> anomalies, Anomaly.Kind kind) {
    List<Anomaly> found = anomalies.stream().filter(a -> a.kind() == kind).toList();
    assertEquals(1, found.size(), kind + ": " + found);
    return found.get(0);
  }

  private static String text(ChromeDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }

  /** Real records from signed sample submissions; everything downstream written to raise each check. */
  private void build() throws Exception {
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(SampleSubmissions.DATANETS_YAML, "sample.yaml"));
    SampleSubmissions.write(scratch.resolve("sample"), 40, 4, 0.0, "2026-11-20", 7);
    new SubmissionIngestJob(lakehouse).run(scratch.resolve("sample/landing").toUri());
    for (Row x : lakehouse.spark().sql("SELECT contributor, min(record_id) FROM delta.`" + lakehouse.path(Tables.RECORDS) + "` GROUP BY contributor ORDER BY contributor")
        .collectAsList()) {
      c.add(x.getString(0));
      r.add(x.getString(1));
    }
    assertEquals(4, c.size());

    // Day 1: C0 1050, C1 700, C2 350 of 2100. Day 2: C2 2100 (three answers on one record), C1 700, C0 350 (fallback), C3 350 (new).
    append(Tables.INFERENCES, inference(DAY1, "a1"), inference(DAY1, "a2"), inference(DAY1, "a3"), inference(DAY2, "b1"), inference(DAY2, "b2"),
        inference(DAY2, "b3"), inference(DAY2, "b4"), inference(DAY2, "b5"));
    append(Tables.ATTRIBUTIONS, credit(DAY1, "a1", 0, "gradient", 1.0), credit(DAY1, "a2", 1, "span", 1.0), credit(DAY1, "a3", 0, "gradient", 0.5),
        credit(DAY1, "a3", 2, "gradient", 0.5), credit(DAY2, "b1", 2, "gradient", 1.0), credit(DAY2, "b2", 2, "span", 1.0), credit(DAY2, "b3", 2, "retrieval", 1.0),
        credit(DAY2, "b4", 1, "gradient", 0.5), credit(DAY2, "b4", 3, "span", 0.5),
        RowFactory.create(Date.valueOf(DAY2), "b5", null, c.get(0), "fallback", 0.0, 0.5), RowFactory.create(Date.valueOf(DAY2), "b5", null, c.get(1), "fallback", 0.0, 0.5));
    append(Tables.EPOCH_REWARDS, reward(DAY1, c.get(0), "data", 1050), reward(DAY1, c.get(1), "data", 700), reward(DAY1, c.get(2), "data", 350),
        reward(DAY1, BUILDER, "model_builder", 600), reward(DAY1, TREASURY, "protocol", 300), reward(DAY2, c.get(2), "data", 2100),
        reward(DAY2, c.get(1), "data", 700), reward(DAY2, c.get(0), "data", 350), reward(DAY2, c.get(3), "data", 350), reward(DAY2, BUILDER, "model_builder", 1000),
        reward(DAY2, TREASURY, "protocol", 500));
    // A copy of the record that earns most, from another account; malformed lines spiking on day 2 over a quiet baseline.
    List<Row> quarantine = new ArrayList<>();
    quarantine.add(quarantined(DAY2, "NEAR_DUPLICATE", c.get(0), r.get(2)));
    quarantine.add(quarantined(DAY2.minusDays(3), "MALFORMED_JSON", c.get(1), null));
    quarantine.add(quarantined(DAY2.minusDays(2), "MALFORMED_JSON", c.get(1), null));
    for (int i = 0; i < 6; i++) {
      quarantine.add(quarantined(DAY2, "MALFORMED_JSON", c.get(3), null));
    }
    append(Tables.QUARANTINE, quarantine.toArray(Row[]::new));
    DistributionBuilder distributions = new DistributionBuilder(lakehouse, scratch.resolve("distributions").toString());
    ClaimDomain domain = ClaimDomain.of(31337, "0x" + "33".repeat(20), "0x" + "44".repeat(20));
    distributions.build(DAY1, domain, TokenUnits.WEI);
    distributions.build(DAY2, domain, TokenUnits.WEI);
  }

  private Row inference(LocalDate day, String id) {
    return RowFactory.create(id, Timestamp.from(day.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC)), Date.valueOf(day), "student", "adapter-x",
        "question " + id, "answer " + id, 12, 30, new BigDecimal(1000), List.of(), null, "0x" + "6a".repeat(20), "gateway.jsonl", 1L, "inf-test",
        Timestamp.from(Instant.now()));
  }

  private Row credit(LocalDate day, String inference, int contributor, String method, double share) {
    return RowFactory.create(Date.valueOf(day), inference, r.get(contributor), c.get(contributor), method, 1.0, share);
  }

  /** As the attribution job writes them: checksummed accounts (records keep the signer's spelling). */
  private static Row reward(LocalDate day, String account, String role, long wei) {
    return RowFactory.create(Date.valueOf(day), ai.payable.core.identity.Address.parse(account).checksummed(), role, new BigDecimal(wei));
  }

  private static Row quarantined(LocalDate day, String reason, String contributor, String duplicateOf) {
    return RowFactory.create("landing/x.jsonl", 1L, "submission", "{}", 2L, false, List.of(reason), "test", "agronomy", contributor, null, duplicateOf, "sub-test",
        Timestamp.from(day.atTime(9, 0).toInstant(java.time.ZoneOffset.UTC)));
  }

  private void append(TableDef table, Row... rows) {
    lakehouse.ensure(table);
    lakehouse.spark().createDataFrame(List.of(rows), table.schema()).write().format("delta").mode("append").save(lakehouse.path(table));
  }
}
