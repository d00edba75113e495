package ai.payable.training.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (BPE, WordPiece, Unigram: whatever the file describes),
 * run by the {@code tokenizers} library itself through DJL's bindings, so ids are exactly those
 * transformers produces. No truncation, no padding, no special tokens added.
 */
public final class HuggingFaceTokens implements TextTokenizer {

  private final HuggingFaceTokenizer tokenizer;
  private final int vocabSize;

  private HuggingFaceTokens(HuggingFaceTokenizer tokenizer, int vocabSize) {
    this.tokenizer = tokenizer;
    this.vocabSize = vocabSize;
  }

  /** Opens {@code file} ({@code tokenizer.json}). */
  public static HuggingFaceTokens open(Path file, int vocabSize) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " does not exist; a model directory needs its tokenizer.json");
    }
    try {
      HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file,
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false", "modelMaxLength", String.valueOf(Integer.MAX_VALUE)));
      return new HuggingFaceTokens(t, vocabSize);
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a tokenizer the tokenizers library can load: " + e.getMessage(), e);
    }
  }

  @Override
  public int[] encode(String text) {
    return ints(tokenizer.encode(text, false, false));
  }

  @Override
  public int[] encodeDocument(String text) {
    return ints(tokenizer.encode(text, true, false));
  }

  private static int[] ints(Encoding e) {
    long[] ids = e.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] wide = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      wide[i] = ids[i];
    }
    return tokenizer.decode(wide, true);
  }

  @Override
  public int idOf(String token) {
    long[] ids = tokenizer.encode(token, false, false).getIds();
    return ids.length == 1 && tokenizer.decode(ids, false).equals(token) ? (int) ids[0] : -1;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
