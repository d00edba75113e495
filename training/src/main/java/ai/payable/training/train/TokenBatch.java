package ai.payable.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.payable.training.tokenizer.ByteTokenizer;
import java.util.List;

/**
 * A batch of next-token examples: inputs are each sequence without its last token, targets without
 * its first, right-padded with {@link ByteTokenizer#PAD} (never a target).
 *
 * @param inputs token ids [B, L−1], int64
 * @param targets next tokens [B, L−1], int64
 * @param tokens number of real (non-padding) targets
 */
public record TokenBatch(NDArray inputs, NDArray targets, long tokens) {

  /** Builds the batch of {@code sequences} (each at least 2 tokens) in {@code manager}. */
  public static TokenBatch of(NDManager manager, List<int[]> sequences) {
    return of(manager, sequences, 0);
  }

  /**
   * As {@link #of(NDManager, List)}, but the first {@code promptTokens} tokens of each sequence are
   * context only, never targets: the loss of an answer given its prompt.
   */
  public static TokenBatch of(NDManager manager, List<int[]> sequences, int promptTokens) {
    int length = sequences.stream().mapToInt(s -> s.length).max().orElseThrow() - 1;
    long[] in = new long[sequences.size() * length];
    long[] out = new long[sequences.size() * length];
    long tokens = 0;
    for (int b = 0; b < sequences.size(); b++) {
      int[] s = sequences.get(b);
      if (s.length < 2 || s.length <= promptTokens) {
        throw new IllegalArgumentException("a sequence needs at least one target token: " + s.length + " tokens, " + promptTokens + " of them prompt");
      }
      for (int t = 0; t < length; t++) {
        in[b * length + t] = t < s.length - 1 ? s[t] : ByteTokenizer.PAD;
        out[b * length + t] = t + 1 < s.length && t + 1 >= promptTokens ? s[t + 1] : ByteTokenizer.PAD;
      }
      tokens += Math.max(0, s.length - Math.max(1, promptTokens));
    }
    Shape shape = new Shape(sequences.size(), length);
    return new TokenBatch(manager.create(in, shape), manager.create(out, shape), tokens);
  }
}
