package ai.payable.training.chat;

import java.util.Arrays;

/**
 * A model's special tokens, as its files name them: begin and end of sequence (the text the chat
 * template writes and the ids the vocabulary gives them), padding, and every id that ends an
 * answer ({@code generation_config.json}'s {@code eos_token_id}, one or many).
 *
 * @param bos begin-of-sequence text, or "" when the model has none
 * @param eos end-of-sequence text
 * @param padId the id batches are padded with (never a target)
 * @param stopIds ids that end generation
 */
public record SpecialTokens(String bos, String eos, int bosId, int eosId, int padId, int[] stopIds) {

  /** Whether generation stops at {@code id}. */
  public boolean stops(int id) {
    for (int s : stopIds) {
      if (s == id) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "bos " + bos + " (" + bosId + "), eos " + eos + " (" + eosId + "), pad " + padId + ", stop " + Arrays.toString(stopIds);
  }
}
