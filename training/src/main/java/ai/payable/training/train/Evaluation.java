package ai.payable.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.model.LlamaModel;
import java.util.List;

/** Held-out evaluation without gradients: token-weighted mean loss, and distance to a teacher. */
public final class Evaluation {

  /**
   * Token-weighted averages over {@code examples}.
   *
   * @param loss mean next-token cross-entropy (nats)
   * @param klToTeacher mean KL(teacher ‖ model) per token, NaN without a teacher
   */
  public record Result(double loss, double klToTeacher, long tokens) {
    public double perplexity() {
      return Math.exp(loss);
    }
  }

  private Evaluation() {}

  /** Evaluates {@code model} (and its distance to {@code teacher}, if not null) on {@code examples}, padded with {@code padId}. */
  public static Result of(LlamaModel model, LlamaModel teacher, List<TokenSequence> examples, int padId, int batchSize, NDManager manager) {
    double lossSum = 0;
    double klSum = 0;
    long tokens = 0;
    Engines.Scope noGradients = Engines.noGradients();
    try {
      for (int from = 0; from < examples.size(); from += batchSize) {
        try (NDManager scope = manager.newSubManager()) {
        TokenBatch batch = TokenBatch.of(scope, examples.subList(from, Math.min(examples.size(), from + batchSize)), padId);
        ParameterStore store = new ParameterStore(scope, false);
        NDArray logits = model.forward(store, new NDList(batch.inputs()), false).singletonOrThrow();
        lossSum += Losses.crossEntropy(logits, batch).getFloat() * batch.tokens();
        if (teacher != null) {
          NDArray teacherLogits = teacher.forward(store, new NDList(batch.inputs()), false).singletonOrThrow();
          klSum += Losses.klToTeacher(logits, teacherLogits, batch).getFloat() * batch.tokens();
        }
        tokens += batch.tokens();
        }
      }
    } finally {
      noGradients.close();
    }
    return new Result(lossSum / tokens, teacher == null ? Double.NaN : klSum / tokens, tokens);
  }
}
