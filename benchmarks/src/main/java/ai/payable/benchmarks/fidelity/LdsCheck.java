package ai.payable.benchmarks.fidelity;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.training.engine.Engines;
import ai.payable.training.features.GradientFeatures;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.train.TrainingLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The linear datamodeling score (LDS, Park et al. 2023) of the gradient estimators on a tiny language
 * model with a LoRA adapter: the adapter is retrained on many random halves of its training records
 * (same initialisation, same schedule), each answer's loss is measured after each retraining, and for
 * every answer the Spearman correlation across subsets between the attribution's prediction (the
 * summed helpfulness of the records in the subset) and the actual outcome (minus the answer's loss)
 * is averaged over answers. Random scores give ≈ 0. A bootstrap over answers gives an interval.
 */
public final class LdsCheck {

  /** LDS of each estimator and of random scores, with 95% bootstrap intervals over answers. */
  public record Result(int records, int answers, int subsets, double tracIn, double[] tracInInterval, double dataInf, double[] dataInfInterval,
      double random) {}

  private static final String[] TOPICS = {"soil", "water", "seeds", "frost", "pests", "harvest", "compost", "shade"};
  private static final String[] ADVICE = {"test it early", "keep notes daily", "ask a neighbour", "rotate the beds", "wait for rain", "mulch it well"};

  private final int records;
  private final int answers;
  private final int subsets;
  private final long seed;

  public LdsCheck(int records, int answers, int subsets, long seed) {
    this.records = records;
    this.answers = answers;
    this.subsets = subsets;
    this.seed = seed;
  }

  public Result run() {
    SplittableRandom r = new SplittableRandom(seed);
    ByteTokenizer tokenizer = new ByteTokenizer();
    List<TokenSequence> train = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      ids.add("r" + i);
      train.add(TokenSequence.document(tokenizer.encode("for " + TOPICS[r.nextInt(TOPICS.length)] + " you should " + ADVICE[r.nextInt(ADVICE.length)] + ".",
          true, 64)));
    }
    List<ByteTokenizer.Answer> asked = new ArrayList<>();
    for (int q = 0; q < answers; q++) {
      String topic = TOPICS[r.nextInt(TOPICS.length)];
      asked.add(tokenizer.answer("what about " + topic + "?", "for " + topic + " you should " + ADVICE[r.nextInt(ADVICE.length)] + ".", 64));
    }
    LlamaConfig config = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64);
    LoraSettings lora = new LoraSettings(4, 8, List.of("q_proj", "v_proj", "o_proj"));
    TrainingLoop.Settings adapterSettings = new TrainingLoop.Settings(4, 8, 1e-2f, 2, 0f, seed);
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      // A base that knows the language a little: trained on other sentences of the same kind.
      Engines.seed(seed);
      LlamaModel model = new LlamaModel(config, lora);
      model.initialize(manager);
      List<TokenSequence> pretraining = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        pretraining.add(TokenSequence.document(tokenizer.encode("in spring the " + TOPICS[r.nextInt(TOPICS.length)] + " needs care.", true, 64)));
      }
      new TrainingLoop(new TrainingLoop.Settings(4, 16, 1e-2f, 2, 0f, seed)).run(model, new ArrayList<>(model.baseParameters().values()), pretraining,
          ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {});
      Map<String, float[]> initial = new HashMap<>();
      model.namedParameters().forEach((name, p) -> initial.put(name, p.getArray().toFloatArray()));
      List<Parameter> adapter = new ArrayList<>();
      for (LoraLinear p : model.adaptedProjections()) {
        adapter.add(p.loraA());
        adapter.add(p.loraB());
      }

      new TrainingLoop(adapterSettings).run(model, adapter, train, ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {});
      double[][] scoresTracIn;
      double[][] scoresDataInf;
      try (GradientFeatures features = new GradientFeatures(model, 32, seed)) {
        float[][] g = new float[records][];
        for (int i = 0; i < records; i++) {
          g[i] = features.of(train.get(i)).features();
        }
        float[][] v = new float[answers][];
        for (int q = 0; q < answers; q++) {
          v[q] = features.of(sequence(asked.get(q))).features();
        }
        int modules = features.moduleNames().size();
        try (InfluenceIndex t = InfluenceIndex.build(ids, g, modules, 32, InfluenceIndex.Estimator.TRACIN, 0.1, manager);
            InfluenceIndex d = InfluenceIndex.build(ids, g, modules, 32, InfluenceIndex.Estimator.DATAINF, 0.1, manager)) {
          scoresTracIn = t.scores(v);
          scoresDataInf = d.scores(v);
        }
      }

      double[][] outcome = new double[answers][subsets];
      Lds.Halves halves = Lds.halves(subsets, records, seed + 1);
      for (int s = 0; s < subsets; s++) {
        List<TokenSequence> subset = new ArrayList<>();
        for (int i : halves.picked()[s]) {
          subset.add(train.get(i));
        }
        model.namedParameters().forEach((name, p) -> p.getArray().set(initial.get(name)));
        new TrainingLoop(adapterSettings).run(model, adapter, subset, ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (x, n, l, t, sec) -> {});
        for (int q = 0; q < answers; q++) {
          outcome[q][s] = -answerLoss(model, asked.get(q), manager);
        }
      }
      double[] tracIn = Lds.perAnswer(scoresTracIn, halves.member(), outcome);
      double[] dataInf = Lds.perAnswer(scoresDataInf, halves.member(), outcome);
      double[] random = Lds.perAnswer(Lds.random(answers, records, seed + 2), halves.member(), outcome);
      return new Result(records, answers, subsets, Lds.mean(tracIn), Lds.interval(tracIn, seed + 3), Lds.mean(dataInf), Lds.interval(dataInf, seed + 3),
          Lds.mean(random));
    }
  }

  private static double answerLoss(LlamaModel model, ByteTokenizer.Answer answer, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      ai.payable.training.train.TokenBatch batch = ai.payable.training.train.TokenBatch.of(scope, List.of(sequence(answer)), ByteTokenizer.PAD);
      return ai.payable.training.train.Losses.crossEntropy(
          model.forward(new ai.djl.training.ParameterStore(scope, false), new ai.djl.ndarray.NDList(batch.inputs()), false).singletonOrThrow(),
          batch).getFloat();
    }
  }

  /** An answer given its prompt: the answer's tokens are the targets. */
  static TokenSequence sequence(ByteTokenizer.Answer answer) {
    return new TokenSequence(answer.tokens(), answer.promptTokens());
  }
}
