package ai.payable.training.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.tokenizer.ByteTokenizer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Autoregressive decoding: greedy at temperature 0, otherwise sampling from the softmax at that
 * temperature with a seeded generator, stopping at {@code </s>}, after {@code maxNewTokens}, or at
 * the end of the context. Each step re-runs the prefix (no KV cache), which is fine for the short
 * contexts of small models.
 */
public final class Generator {

  private final LlamaModel model;
  private final NDManager manager;

  public Generator(LlamaModel model, NDManager manager) {
    this.model = model;
    this.manager = manager;
  }

  /** The generated tokens after {@code prompt} (without it, without {@code </s>}). */
  public int[] generate(int[] prompt, int maxNewTokens, float temperature, SplittableRandom random) {
    int context = model.config().maxPositions();
    int[] tokens = Arrays.copyOf(prompt, Math.min(context, prompt.length + maxNewTokens));
    int length = Math.min(prompt.length, context - 1);
    int produced = 0;
    while (length < tokens.length && produced < maxNewTokens) {
      float[] next;
      try (NDManager scope = manager.newSubManager()) {
        long[] ids = new long[length];
        for (int i = 0; i < length; i++) {
          ids[i] = tokens[i];
        }
        NDArray logits = model.forward(new ParameterStore(scope, false), new NDList(scope.create(ids, new Shape(1, length))), false).singletonOrThrow();
        next = logits.get(0, length - 1).toFloatArray();
      }
      int token = temperature <= 0 ? argmax(next) : sample(next, temperature, random);
      if (token == ByteTokenizer.EOS) {
        break;
      }
      tokens[length++] = token;
      produced++;
    }
    return Arrays.copyOfRange(tokens, Math.min(prompt.length, length), length);
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < ByteTokenizer.PAD; i++) {
      if (i != ByteTokenizer.BOS && logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int sample(float[] logits, float temperature, SplittableRandom random) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < ByteTokenizer.PAD; i++) {
      max = Math.max(max, logits[i]);
    }
    double[] p = new double[ByteTokenizer.PAD];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = i == ByteTokenizer.BOS ? 0 : Math.exp((logits[i] - max) / temperature);
      sum += p[i];
    }
    double u = random.nextDouble() * sum;
    for (int i = 0; i < p.length; i++) {
      u -= p[i];
      if (u <= 0) {
        return i;
      }
    }
    return p.length - 1;
  }
}
