package ai.payable.benchmarks;

import ai.payable.benchmarks.fidelity.RealModelFidelity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * LDS over retrained halves and corrupted-record self-influence AUC on SmolLM2-135M-Instruct
 * ({@link RealModelFidelity}). Usage: {@code benchmarks/run real-fidelity [--layers N (default: all)]
 * [--datanet dermatology] [--records 24] [--subsets 60] [--audit-records 64] [--epochs 3] [--lr 0.001]
 * [--seed 7]}; needs {@code make models}; about 20 minutes on 2 cores.
 */
public final class RealFidelityBenchmark {

  private RealFidelityBenchmark() {}

  /** {@code dim:layers}, e.g. {@code 64:8} or {@code 16:all}. */
  private static String label(RealModelFidelity.FeatureChoice c) {
    return c.dim() + ":" + (c.layers() == Integer.MAX_VALUE ? "all" : String.valueOf(c.layers()));
  }

  public static void main(String[] args) throws Exception {
    Path base = Path.of("build/hf/smollm2-135m-instruct");
    int layers = Integer.MAX_VALUE; // the whole model
    String datanet = "dermatology";
    int records = 24;
    int subsets = 60;
    int audit = 64;
    int epochs = 3;
    float lr = 1e-3f;
    long seed = 7;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--base" -> base = Path.of(args[++i]);
        case "--layers" -> layers = Integer.parseInt(args[++i]);
        case "--datanet" -> datanet = args[++i];
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--subsets" -> subsets = Integer.parseInt(args[++i]);
        case "--audit-records" -> audit = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--lr" -> lr = Float.parseFloat(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (known: --base DIR, --layers N, --datanet NAME, --records N, --subsets N, --audit-records N, --epochs N, --lr X, --seed N)");
      }
    }
    if (!Files.isRegularFile(base.resolve("config.json"))) {
      throw new IllegalArgumentException(base + " holds no model: run `make models` first");
    }
    long started = System.nanoTime();
    RealModelFidelity.Result r = new RealModelFidelity(new RealModelFidelity.Settings(base, layers, datanet, records, subsets, audit, epochs, lr, seed)).run();
    String depth = layers == Integer.MAX_VALUE ? "all" : String.valueOf(layers);
    if (r.lds() != null) {
      RealModelFidelity.LdsFigures l = r.lds();
      for (RealModelFidelity.ChoiceLds c : l.byChoice()) {
        System.out.printf(Locale.ROOT, "RESULT real_lds layers=%s features=%s datanet=%s records=%d answers=%d subsets=%d datainf=%.3f [%.3f, %.3f] "
            + "datainf_module_unit=%.3f [%.3f, %.3f] tracin=%.3f [%.3f, %.3f] random=%.3f train_loss=%.3f->%.3f%n", depth, label(c.features()), datanet, records,
            l.answers(), subsets, c.dataInf(), c.dataInfInterval()[0], c.dataInfInterval()[1], c.dataInfUnit(), c.dataInfUnitInterval()[0],
            c.dataInfUnitInterval()[1], c.tracIn(), c.tracInInterval()[0], c.tracInInterval()[1], l.random(), l.trainLossBefore(),
            l.trainLossAfter());
      }
    }
    for (RealModelFidelity.Audit a : r.audits()) {
      System.out.printf(Locale.ROOT, "RESULT real_audit layers=%s features=%s records=%d corrupted=%d self_auc_datainf=%.3f (mismatched %.3f, shuffled %.3f) "
          + "self_auc_tracin=%.3f (mismatched %.3f, shuffled %.3f) planted_recall10=%.3f planted_recall10_module_unit=%.3f random_recall10=%.3f%n", depth, label(a.features()), a.records(),
          a.corrupted(), a.dataInfSelf().all(), a.dataInfSelf().mismatched(), a.dataInfSelf().shuffled(), a.tracInSelf().all(), a.tracInSelf().mismatched(), a.tracInSelf().shuffled(), a.recall10(), a.recall10Unit(),
          a.randomRecall10());
      for (RealModelFidelity.Flags f : a.flags()) {
        System.out.printf(Locale.ROOT, "RESULT real_audit_flags layers=%s features=%s z>=%.1f corrupted_flagged=%d/%d clean_flagged=%d/%d%n", depth,
            label(a.features()), f.threshold(), f.corrupted(), a.corrupted(), f.clean(), a.records() - a.corrupted());
      }
    }
    System.out.printf(Locale.ROOT, "(%.0f s)%n", (System.nanoTime() - started) / 1e9);
  }
}
