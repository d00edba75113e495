package ai.payable.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.payable.training.engine.Engines;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.model.LlamaModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Mini-batch training of a {@link LlamaModel} with Adam: only the given parameters are trained,
 * everything else is frozen (for an adapter, the whole base). Batches are drawn in a seeded order,
 * so with the same seed and data a CPU run is reproducible. Each step runs in its own memory scope.
 */
public final class TrainingLoop {

  /** The loss of one batch (cross-entropy, or distillation against a teacher). */
  @FunctionalInterface
  public interface Objective {
    NDArray loss(LlamaModel model, ParameterStore store, TokenBatch batch);
  }

  /** Told about every step, for progress bars and metric logs. */
  @FunctionalInterface
  public interface Listener {
    void step(int step, int totalSteps, float loss, long tokens, double seconds);
  }

  /**
   * How to train.
   *
   * @param warmupSteps steps of linear learning-rate warm-up before a cosine decay to 10%
   */
  public record Settings(int epochs, int batchSize, float learningRate, int warmupSteps, float weightDecay, long seed) {
    public Settings {
      if (epochs <= 0 || batchSize <= 0 || !(learningRate > 0) || warmupSteps < 0 || weightDecay < 0) {
        throw new IllegalArgumentException("invalid training settings: epochs " + epochs + ", batch size " + batchSize
            + ", learning rate " + learningRate + ", warm-up " + warmupSteps + ", weight decay " + weightDecay);
      }
    }
  }

  /** What a run did: the loss of every step, tokens seen and wall time. */
  public record Report(List<Float> losses, long tokens, double seconds) {
    public float finalLoss() {
      return losses.get(losses.size() - 1);
    }

    public double tokensPerSecond() {
      return tokens / Math.max(seconds, 1e-9);
    }
  }

  private final Settings settings;

  public TrainingLoop(Settings settings) {
    this.settings = settings;
  }

  /**
   * Trains {@code trainable} (parameters of {@code model}) on {@code examples}.
   *
   * @param examples token sequences, each one training record
   * @param padId what batches are padded with
   */
  public Report run(LlamaModel model, List<Parameter> trainable, List<TokenSequence> examples, int padId, Objective objective, Listener listener) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    Set<String> train = new HashSet<>();
    trainable.forEach(p -> train.add(p.getId()));
    model.getParameters().values().forEach(p -> p.freeze(!train.contains(p.getId())));

    int perEpoch = (examples.size() + settings.batchSize() - 1) / settings.batchSize();
    int total = perEpoch * settings.epochs();
    Optimizer adam = Optimizer.adam().optLearningRateTracker(schedule(total)).optWeightDecays(settings.weightDecay()).build();
    NDManager base = trainable.get(0).getArray().getManager();
    List<Float> losses = new ArrayList<>(total);
    long tokens = 0;
    long start = System.nanoTime();
    int step = 0;
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < examples.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(settings.seed() * 1_000_003L + epoch));
      for (int from = 0; from < order.size(); from += settings.batchSize()) {
        List<TokenSequence> batch = new ArrayList<>();
        for (int i : order.subList(from, Math.min(order.size(), from + settings.batchSize()))) {
          batch.add(examples.get(i));
        }
        try (NDManager scope = base.newSubManager()) {
          TokenBatch tb = TokenBatch.of(scope, batch, padId);
          ParameterStore store = new ParameterStore(scope, false);
          float loss;
          try (GradientCollector collector = Engines.gradientCollector()) {
            NDArray l = objective.loss(model, store, tb);
            collector.backward(l);
            loss = l.getFloat();
          }
          for (Parameter p : trainable) {
            NDArray w = p.getArray();
            try (NDArray g = w.getGradient()) {
              adam.update(p.getId(), w, g);
            }
          }
          tokens += tb.tokens();
          losses.add(loss);
        }
        step++;
        listener.step(step, total, losses.get(losses.size() - 1), tokens, (System.nanoTime() - start) / 1e9);
      }
    }
    return new Report(List.copyOf(losses), tokens, (System.nanoTime() - start) / 1e9);
  }

  private Tracker schedule(int total) {
    float peak = settings.learningRate();
    int warmup = Math.min(settings.warmupSteps(), Math.max(0, total - 1));
    return update -> {
      if (update < warmup) {
        return peak * (update + 1) / warmup;
      }
      double progress = total <= warmup ? 1 : (double) (update - warmup) / (total - warmup);
      return (float) (peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)))));
    };
  }

  /**
   * The objective of a student learning from {@code teacher} (frozen; run without gradients) and
   * the records: {@link Losses#distillation}.
   */
  public static Objective distillation(LlamaModel teacher, float alpha, float temperature, Losses.Divergence divergence) {
    return (model, store, batch) -> {
      NDArray student = model.forward(store, new ai.djl.ndarray.NDList(batch.inputs()), true).singletonOrThrow();
      NDArray soft = teacher.forward(store, new ai.djl.ndarray.NDList(batch.inputs()), false).singletonOrThrow();
      return Losses.distillation(student, soft, batch, alpha, temperature, divergence);
    };
  }

  /** The objective of plain language modelling: next-token cross-entropy. */
  public static Objective crossEntropy() {
    return (model, store, batch) -> Losses.crossEntropy(model.forward(store, new ai.djl.ndarray.NDList(batch.inputs()), true).singletonOrThrow(), batch);
  }
}
