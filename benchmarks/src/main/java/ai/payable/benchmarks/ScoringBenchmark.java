package ai.payable.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.training.engine.Engines;
import ai.payable.training.model.Initializers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Attribution scoring throughput: answer × record pairs per second of {@link InfluenceIndex#top}
 * (DataInf, blocks of 256 answers, top 50 kept) against a raw matrix product of the same shapes in
 * the same run; then how scoring time grows with the number of answers.
 * Usage: {@code benchmarks/run scoring [--records 100000] [--answers 10000] [--width 1024]}.
 */
public final class ScoringBenchmark {

  private ScoringBenchmark() {}

  public static void main(String[] args) {
    int records = 100_000;
    int answers = 10_000;
    int width = 1024;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--answers" -> answers = Integer.parseInt(args[++i]);
        case "--width" -> width = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int modules = 8;
    int dim = width / modules;
    SplittableRandom r = new SplittableRandom(1);
    float[][] g = new float[records][width];
    List<String> ids = new ArrayList<>(records);
    for (int k = 0; k < records; k++) {
      ids.add("r" + k);
      for (int j = 0; j < width; j++) {
        g[k][j] = (float) r.nextGaussian();
      }
    }
    float[][] v = new float[answers][width];
    for (float[] q : v) {
      for (int j = 0; j < width; j++) {
        q[j] = (float) r.nextGaussian();
      }
    }
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      long t0 = System.nanoTime();
      try (InfluenceIndex index = InfluenceIndex.build(ids, g, modules, dim, InfluenceIndex.Estimator.DATAINF, 0.1, manager)) {
        double build = (System.nanoTime() - t0) / 1e9;
        double raw = raw(manager, records, answers, width, r);
        double scored = score(index, v, answers);
        double pairs = (double) records * answers;
        System.out.printf(Locale.ROOT, "RESULT scoring records=%d answers=%d width=%d build_s=%.1f raw_matmul_s=%.2f scoring_s=%.2f raw_pairs_per_s=%.3g "
            + "scoring_pairs_per_s=%.3g scoring_vs_raw=%.2f%n", records, answers, width, build, raw, scored, pairs / raw, pairs / scored, raw / scored);
        for (int n : new int[] {1_000, 10_000, 100_000}) {
          float[][] many = new float[n][];
          for (int q = 0; q < n; q++) {
            many[q] = v[q % answers];
          }
          double s = score(index, many, n);
          System.out.printf(Locale.ROOT, "RESULT scoring_growth answers=%d records=%d seconds=%.2f per_answer_ms=%.3f%n", n, records, s, s * 1e3 / n);
        }
      }
      queryGradients(manager);
    }
  }

  /** The other per-answer cost of the nightly job: the query gradient through the adapter (student shape, 200-token answers). */
  private static void queryGradients(NDManager manager) {
    Engines.seed(1);
    var model = new ai.payable.training.model.LlamaModel(ai.payable.training.model.LlamaConfig.of(ai.payable.training.tokenizer.ByteTokenizer.VOCAB_SIZE,
        64, 2, 4, 172, 256), new ai.payable.training.lora.LoraSettings(8, 16, List.of("q_proj", "v_proj", "o_proj")));
    model.initialize(manager);
    var tokenizer = new ai.payable.training.tokenizer.ByteTokenizer();
    var answer = tokenizer.answer("How should a grower rotate legumes with cereals in a dry year?", "x".repeat(130), 256);
    try (var features = new ai.payable.training.features.GradientFeatures(model, 32, 11)) {
      for (int i = 0; i < 20; i++) {
        features.of(new ai.payable.training.chat.TokenSequence(answer.tokens(), answer.promptTokens()));
      }
      int n = 300;
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        features.of(new ai.payable.training.chat.TokenSequence(answer.tokens(), answer.promptTokens()));
      }
      double ms = (System.nanoTime() - start) / 1e6 / n;
      System.out.printf(Locale.ROOT, "RESULT query_gradient tokens=%d per_answer_ms=%.2f answers_per_s=%.0f%n", answer.tokens().length, ms, 1000 / ms);
    }
  }

  private static double score(InfluenceIndex index, float[][] v, int answers) {
    long start = System.nanoTime();
    for (int from = 0; from < answers; from += 256) {
      index.top(java.util.Arrays.copyOfRange(v, from, Math.min(answers, from + 256)), 50);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The same products, 256 answers at a time, with nothing else: the ceiling. */
  private static double raw(NDManager manager, int records, int answers, int width, SplittableRandom r) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray t = Initializers.normal(1f).initialize(scope, new Shape(width, records), DataType.FLOAT32);
      NDArray q = Initializers.normal(1f).initialize(scope, new Shape(256, width), DataType.FLOAT32);
      long start = System.nanoTime();
      for (int from = 0; from < answers; from += 256) {
        try (NDManager step = scope.newSubManager()) {
          NDArray block = q.duplicate();
          block.attach(step);
          block.matMul(t).getFloat(0, 0);
        }
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
