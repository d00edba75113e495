package ai.payable.training.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A byte-level tokenizer: one token per UTF-8 byte plus begin, end and padding tokens. Exact and
 * offline (nothing to download, any text round-trips), which suits models trained from scratch on
 * DataNet records; longer sequences per character are the price.
 */
public final class ByteTokenizer {

  /** Begin of sequence. */
  public static final int BOS = 256;

  /** End of sequence. */
  public static final int EOS = 257;

  /** Padding; never a training target. */
  public static final int PAD = 258;

  /** Vocabulary size: 256 bytes and the three special tokens. */
  public static final int VOCAB_SIZE = 259;

  /** The name specs and {@code config.json} use for this tokenizer. */
  public static final String NAME = "bytes";

  /** {@code [BOS] + utf8(text)}, followed by {@code EOS} when {@code end}; truncated to {@code max} tokens. */
  public int[] encode(String text, boolean end, int max) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(max, bytes.length + 1 + (end ? 1 : 0));
    int[] ids = new int[n];
    ids[0] = BOS;
    for (int i = 1; i < n; i++) {
      ids[i] = i - 1 < bytes.length ? bytes[i - 1] & 0xff : EOS;
    }
    return ids;
  }

  /** The text of {@code ids}, skipping special tokens; invalid UTF-8 becomes U+FFFD. */
  public String decode(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length);
    for (int id : ids) {
      if (id >= 0 && id < 256) {
        out.write(id);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
