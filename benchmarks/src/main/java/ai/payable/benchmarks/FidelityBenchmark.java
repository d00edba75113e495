package ai.payable.benchmarks;

import ai.payable.benchmarks.fidelity.ConvexCheck;
import ai.payable.benchmarks.fidelity.LdsCheck;
import ai.payable.benchmarks.fidelity.PlantedContributorCheck;
import java.util.Locale;

/**
 * The attribution fidelity checks at larger sizes than {@code make test} runs: convex
 * leave-one-out, planted contributor recall and corrupted-record AUC, and LDS over 100 subsets.
 * Usage: {@code benchmarks/run fidelity [--json FILE]}; the JSON file is what
 * {@code payable report --fidelity FILE} shows governance.
 */
public final class FidelityBenchmark {

  private FidelityBenchmark() {}

  public static void main(String[] args) throws java.io.IOException {
    java.nio.file.Path json = args.length == 2 && args[0].equals("--json") ? java.nio.file.Path.of(args[1]) : null;
    if (args.length > 0 && json == null) {
      throw new IllegalArgumentException("usage: benchmarks/run fidelity [--json FILE]");
    }
    ConvexCheck.Result c = new ConvexCheck(1_000, 20, 0.01, 1).run();
    System.out.printf(Locale.ROOT, "RESULT convex n=%d exact_pearson=%.4f exact_spearman=%.4f datainf_pearson=%.4f datainf_spearman=%.4f tracin_pearson=%.4f "
        + "tracin_spearman=%.4f%n", c.n(), c.exactPearson(), c.exactSpearman(), c.dataInfPearson(), c.dataInfSpearman(), c.tracInPearson(), c.tracInSpearman());
    PlantedContributorCheck.Result p = new PlantedContributorCheck(400, 50, 30, 7).run(10);
    System.out.printf(Locale.ROOT, "RESULT planted answers=%d k=%d gradient_recall=%.3f span_recall=%.3f combined_recall=%.3f corrupted_auc_tracin=%.3f "
        + "corrupted_auc_datainf=%.3f%n", p.answers(), p.k(), p.gradientRecall(), p.spanRecall(), p.combinedRecall(), p.tracInSelfAuc(), p.dataInfSelfAuc());
    LdsCheck.Result l = new LdsCheck(100, 20, 100, 11).run();
    System.out.printf(Locale.ROOT, "RESULT lds records=%d answers=%d subsets=%d tracin=%.3f [%.3f, %.3f] datainf=%.3f [%.3f, %.3f] random=%.3f%n", l.records(),
        l.answers(), l.subsets(), l.tracIn(), l.tracInInterval()[0], l.tracInInterval()[1], l.dataInf(), l.dataInfInterval()[0], l.dataInfInterval()[1],
        l.random());
    if (json != null) {
      String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var figures = mapper.createArrayNode();
      figures.addObject().put("check", "convex leave-one-out (n " + c.n() + ")").put("measure", "DataInf Pearson").put("value", c.dataInfPearson()).put("date", day);
      figures.addObject().put("check", "LDS (" + l.records() + " records, " + l.subsets() + " subsets)").put("measure", "DataInf Spearman")
          .put("value", l.dataInf()).put("date", day);
      figures.addObject().put("check", "LDS (" + l.records() + " records, " + l.subsets() + " subsets)").put("measure", "TracIn Spearman")
          .put("value", l.tracIn()).put("date", day);
      figures.addObject().put("check", "planted contributor (" + p.answers() + " answers)").put("measure", "combined recall@" + p.k())
          .put("value", p.combinedRecall()).put("date", day);
      figures.addObject().put("check", "corrupted records").put("measure", "DataInf self-influence AUC").put("value", p.dataInfSelfAuc()).put("date", day);
      mapper.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), figures);
      System.out.println("wrote " + json);
    }
  }
}
