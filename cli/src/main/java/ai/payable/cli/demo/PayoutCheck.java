package ai.payable.cli.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.payable.attribution.split.FeeSplit;
import ai.payable.cli.demo.DemoQuestions.Asked;
import ai.payable.cli.demo.DemoQuestions.Route;
import ai.payable.core.catalog.Tables;
import ai.payable.core.identity.Address;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.TokenUnits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The check a person can read: for each answer of the day, the fact it was asked about, that fact's
 * owner, whether the answer states it, and the share of the answer's data fee the nightly
 * attribution gave the owner. Reads the gateway's log (what the model saw and said) and the epoch's
 * {@code attributions}; the owner comes from the sample questions, never from the gateway.
 */
final class PayoutCheck {

  private PayoutCheck() {}

  /**
   * One answer, checked.
   *
   * @param retrieved the records put into the prompt, best first
   * @param ownerRank the rank of the owner's record among them (0: not retrieved)
   * @param stated how many of the expected phrases the answer states
   * @param ownerShare the owner's share of the answer's data fee
   * @param ownerWei what that share is worth, rounded down
   */
  record Checked(Asked asked, String inferenceId, String output, List<String> retrieved, int ownerRank, int stated, double ownerShare, BigInteger ownerWei) {

    /** Whether the answer states every expected phrase. */
    boolean right() {
      return stated == asked.question().expected().size();
    }
  }

  /** Averages over a set of answers of one route. */
  record Averages(Route route, int answers, double right, double ownerShare) {}

  /** Joins the gateway's {@code log} (in the order the questions were asked) with the attributions of {@code epoch}. */
  static List<Checked> check(Lakehouse lakehouse, LocalDate epoch, List<Asked> asked, Path log, FeeSplit fees) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    if (lines.size() != asked.size()) {
      throw new IllegalStateException(log + " has " + lines.size() + " answers for " + asked.size() + " questions");
    }
    Map<String, Map<String, Double>> shares = new HashMap<>(); // inference → contributor → share
    for (Row r : lakehouse.read(Tables.ATTRIBUTIONS).where(col("epoch").equalTo(lit(Date.valueOf(epoch))))
        .groupBy("inference_id", "contributor").sum("share").collectAsList()) {
      shares.computeIfAbsent(r.getString(0), k -> new HashMap<>()).merge(Address.parse(r.getString(1)).value(), r.getDouble(2), Double::sum);
    }
    ObjectMapper json = new ObjectMapper();
    List<Checked> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Asked a = asked.get(i);
      JsonNode line = json.readTree(lines.get(i));
      String id = line.get("inference_id").asText();
      List<String> retrieved = new ArrayList<>();
      line.path("retrieved").forEach(h -> retrieved.add(h.get("record_id").asText()));
      double share = shares.getOrDefault(id, Map.of()).getOrDefault(Address.parse(a.question().owner()).value(), 0.0);
      BigInteger data = fees.split(a.feeWei()).data();
      BigInteger wei = new BigDecimal(data).multiply(BigDecimal.valueOf(share)).setScale(0, RoundingMode.DOWN).toBigInteger();
      String output = line.get("output").asText();
      out.add(new Checked(a, id, output, retrieved, retrieved.indexOf(a.question().recordId()) + 1, a.question().phrasesStated(output), share, wei));
    }
    return out;
  }

  /** Averages per route, in route order; routes without answers are left out. */
  static List<Averages> averages(List<Checked> checked) {
    List<Averages> out = new ArrayList<>();
    for (Route route : Route.values()) {
      List<Checked> of = checked.stream().filter(c -> c.asked().route() == route).toList();
      if (!of.isEmpty()) {
        out.add(new Averages(route, of.size(), of.stream().filter(Checked::right).count() / (double) of.size(),
            of.stream().mapToDouble(Checked::ownerShare).average().orElse(0)));
      }
    }
    return out;
  }

  /** Prints the first {@code full} answers in full, then one line per answer. */
  static void print(List<Checked> checked, int full, TokenUnits units, PrintStream out) {
    for (Checked c : checked.subList(0, Math.min(full, checked.size()))) {
      out.printf("Q  %s%n   (%s%s)%n", c.asked().question().question(), c.asked().adapter() == null ? "base model" : c.asked().adapter(),
          c.retrieved().isEmpty() ? ", no retrieval" : ", " + c.retrieved().size() + (c.retrieved().size() == 1 ? " record" : " records") + " retrieved, the owner's "
              + (c.ownerRank() > 0 ? "ranked " + c.ownerRank() : "not among them"));
      out.printf("A  %s%n", c.output().strip().replace("\n", "\n   "));
      out.printf("   states %d of %d expected facts (%s); owner %s paid %s of the data fee%n%n", c.stated(), c.asked().question().expected().size(),
          String.join(", ", c.asked().question().expected()), c.asked().question().owner(), percent(c.ownerShare()));
    }
    out.printf("%-22s %-36s %-44s %-6s %s%n", "route", "fact asked about", "owner", "stated", "owner's share of the data fee");
    for (Checked c : checked) {
      out.printf(Locale.ROOT, "%-22s %-36s %-44s %d/%-4d %6s  (%s)%n", c.asked().route().title, c.asked().question().entity(), c.asked().question().owner(),
          c.stated(), c.asked().question().expected().size(), percent(c.ownerShare()), units.formatApproximate(c.ownerWei().doubleValue()));
    }
    printAverages(checked, "  ", out);
  }

  /** Prints one line of {@link #averages} per route, each line after {@code indent}. */
  static void printAverages(List<Checked> checked, String indent, PrintStream out) {
    for (Averages a : averages(checked)) {
      out.printf(Locale.ROOT, "%s%-22s %2d answers: %s state every expected fact; the fact's owner got %s of the answer's data fee on average%n", indent,
          a.route().title, a.answers(), percent(a.right()), percent(a.ownerShare()));
    }
  }

  private static String percent(double x) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * x);
  }
}
