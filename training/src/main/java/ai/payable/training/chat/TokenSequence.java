package ai.payable.training.chat;

import java.util.Arrays;

/**
 * Tokens to learn from or to score: every token from {@code firstTarget} on is a target (predicted
 * from the ones before it); earlier tokens are context only (a system prompt, the question).
 *
 * @param firstTarget index of the first target token, at least 1
 */
public record TokenSequence(int[] tokens, int firstTarget) {

  public TokenSequence {
    if (firstTarget < 1 || firstTarget >= tokens.length) {
      throw new IllegalArgumentException("a sequence of " + tokens.length + " tokens with targets from " + firstTarget + " has nothing to predict");
    }
  }

  /** A document: every token but the first is a target. */
  public static TokenSequence document(int[] tokens) {
    return new TokenSequence(tokens, 1);
  }

  /** Number of target tokens. */
  public int targets() {
    return tokens.length - firstTarget;
  }

  /** The target tokens. */
  public int[] targetTokens() {
    return Arrays.copyOfRange(tokens, firstTarget, tokens.length);
  }

  /**
   * This sequence in at most {@code max} tokens: its end is cut, and when the context alone would
   * leave the targets less than half of {@code max}, the context's start is cut too (the question's
   * end and the answer's start are what the model learns from). Null when {@code max} < 2.
   */
  public TokenSequence truncated(int max) {
    if (tokens.length <= max) {
      return this;
    }
    if (max < 2) {
      return null;
    }
    int context = Math.min(firstTarget, Math.max(1, max - Math.max(1, Math.min(targets(), max / 2))));
    int[] cut = new int[max];
    System.arraycopy(tokens, firstTarget - context, cut, 0, context);
    System.arraycopy(tokens, firstTarget, cut, context, max - context);
    return new TokenSequence(cut, context);
  }
}
