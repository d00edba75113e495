package ai.payable.benchmarks;

import ai.payable.attribution.fidelity.ConvexCheck;
import ai.payable.attribution.fidelity.LdsCheck;
import ai.payable.attribution.fidelity.PlantedContributorCheck;
import java.util.Locale;

/**
 * The attribution fidelity checks at larger sizes than {@code make test} runs: convex
 * leave-one-out, planted contributor recall and corrupted-record AUC, and LDS over 100 subsets.
 * Usage: {@code benchmarks/run fidelity}.
 */
public final class FidelityBenchmark {

  private FidelityBenchmark() {}

  public static void main(String[] args) {
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
  }
}
