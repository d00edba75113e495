package ai.payable.training.tokenizer;

/**
 * Text to token ids and back, for one model's vocabulary. Special tokens written in the text
 * (e.g. {@code <|im_start|>} from a chat template) become their ids; nothing is added around the
 * text: where begin/end tokens go is the chat format's business.
 */
public interface TextTokenizer extends AutoCloseable {

  /** The ids of {@code text}. */
  int[] encode(String text);

  /**
   * The ids of {@code text} as a standalone document: with the special tokens the tokenizer's own
   * post-processor adds (Llama's {@code <s>}; nothing for SmolLM2), as transformers' {@code tokenizer(text)}.
   */
  int[] encodeDocument(String text);

  /** The text of {@code ids}, special tokens left out. */
  String decode(int[] ids);

  /** The id of one token (a special token's text, e.g. {@code </s>}), or -1 when the vocabulary has none. */
  int idOf(String token);

  /** Vocabulary size (the largest id + 1). */
  int vocabSize();

  @Override
  default void close() {}
}
