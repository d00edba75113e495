package ai.payable.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.payable.training.chat.TokenSequence;
import java.util.List;

/**
 * A batch of next-token examples: inputs are each sequence without its last token, targets
 * without its first, right-padded; {@code mask} is 1 where a target counts (a target token of the
 * sequence) and 0 elsewhere (context, padding). Padding ids are never targets, whatever they are
 * (a model's pad token may also be a real token it must learn, such as SmolLM2's end of turn).
 *
 * @param inputs token ids [B, L−1], int64
 * @param targets next tokens [B, L−1], int64
 * @param mask 1 for the targets that count [B, L−1], float32
 * @param tokens number of targets that count
 */
public record TokenBatch(NDArray inputs, NDArray targets, NDArray mask, long tokens) {

  /** The batch of {@code sequences}, padded with {@code padId}. */
  public static TokenBatch of(NDManager manager, List<TokenSequence> sequences, int padId) {
    int length = sequences.stream().mapToInt(s -> s.tokens().length).max().orElseThrow() - 1;
    long[] in = new long[sequences.size() * length];
    long[] out = new long[sequences.size() * length];
    float[] counts = new float[sequences.size() * length];
    long tokens = 0;
    for (int b = 0; b < sequences.size(); b++) {
      TokenSequence s = sequences.get(b);
      int[] t = s.tokens();
      for (int i = 0; i < length; i++) {
        boolean target = i + 1 < t.length && i + 1 >= s.firstTarget();
        in[b * length + i] = i < t.length - 1 ? t[i] : padId;
        out[b * length + i] = i + 1 < t.length ? t[i + 1] : padId;
        counts[b * length + i] = target ? 1f : 0f;
      }
      tokens += s.targets();
    }
    Shape shape = new Shape(sequences.size(), length);
    return new TokenBatch(manager.create(in, shape), manager.create(out, shape), manager.create(counts, shape), tokens);
  }
}
