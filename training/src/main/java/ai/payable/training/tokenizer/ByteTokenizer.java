package ai.payable.training.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A byte-level tokenizer: one token per UTF-8 byte plus begin, end and padding tokens. Exact and
 * offline (nothing to download, any text round-trips), which suits the small models trained from
 * scratch on DataNet records in tests; longer sequences per character are the price. Its
 * {@code tokenizer.json} (see {@link #huggingFaceJson()}) makes the {@code tokenizers} library
 * produce the same ids; its models lay conversations out with {@code ChatFormat}'s plain template.
 */
public final class ByteTokenizer implements TextTokenizer {

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

  /** The special tokens' text, by id − 256. */
  private static final String[] SPECIALS = {"<s>", "</s>", "<pad>"};

  /**
   * An answer as the model saw it: {@code [BOS] prompt "\n"} (the first {@code promptTokens}) then
   * the output and {@code </s>}, truncated to the context.
   */
  public record Answer(int[] tokens, int promptTokens) {}

  /** The prompt part of an answer: what generation starts from. */
  public int[] prompt(String prompt, int max) {
    return encode(prompt + "\n", false, max);
  }

  /** The tokens of {@code prompt} answered by {@code output}, at most {@code max}. */
  public Answer answer(String prompt, String output, int max) {
    int[] p = prompt(prompt, max - 1);
    byte[] out = output.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(max, p.length + out.length + 1);
    int[] tokens = java.util.Arrays.copyOf(p, n);
    for (int i = p.length; i < n; i++) {
      tokens[i] = i - p.length < out.length ? out[i - p.length] & 0xff : EOS;
    }
    return new Answer(tokens, p.length);
  }

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

  /**
   * This tokenizer as a Hugging Face {@code tokenizer.json}: a BPE with no merges over GPT-2's
   * byte-to-unicode alphabet, so the {@code tokenizers} library (and transformers, vLLM) produce
   * exactly our ids, with {@code <s>}, {@code </s>} and {@code <pad>} as 256, 257, 258.
   */
  public com.fasterxml.jackson.databind.node.ObjectNode huggingFaceJson() {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    var added = root.putArray("added_tokens");
    String[] specials = SPECIALS;
    for (int i = 0; i < specials.length; i++) {
      added.addObject().put("id", BOS + i).put("content", specials[i]).put("single_word", false).put("lstrip", false)
          .put("rstrip", false).put("normalized", false).put("special", true);
    }
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false).put("use_regex", false);
    var post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    post.putArray("single").addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    ((com.fasterxml.jackson.databind.node.ArrayNode) post.get("single")).addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    var pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    var bos = post.putObject("special_tokens").putObject("<s>");
    bos.put("id", "<s>");
    bos.putArray("ids").add(BOS);
    bos.putArray("tokens").add("<s>");
    root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false).put("use_regex", false);
    var model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    var vocab = model.putObject("vocab");
    char[] alphabet = byteAlphabet();
    for (int b = 0; b < 256; b++) {
      vocab.put(String.valueOf(alphabet[b]), b);
    }
    for (int i = 0; i < specials.length; i++) {
      vocab.put(specials[i], BOS + i);
    }
    model.putArray("merges");
    return root;
  }

  /** GPT-2's reversible map from bytes to printable characters, which byte-level BPE vocabularies use. */
  static char[] byteAlphabet() {
    char[] map = new char[256];
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      map[b] = printable ? (char) b : (char) (256 + extra++);
    }
    return map;
  }

  /** UTF-8 bytes, with {@code <s>}, {@code </s>} and {@code <pad>} written in the text taken as those tokens (as the tokenizers library does). */
  @Override
  public int[] encode(String text) {
    int[] out = new int[text.length() * 4];
    int n = 0;
    int from = 0;
    while (from < text.length()) {
      int next = text.indexOf('<', from);
      int special = -1;
      if (next >= 0) {
        for (int i = 0; i < SPECIALS.length; i++) {
          if (text.startsWith(SPECIALS[i], next)) {
            special = i;
          }
        }
      }
      int end = next < 0 ? text.length() : next;
      if (special < 0 && next >= 0) {
        end = next + 1;
      }
      for (byte b : text.substring(from, end).getBytes(StandardCharsets.UTF_8)) {
        out[n++] = b & 0xff;
      }
      if (special >= 0) {
        out[n++] = BOS + special;
        end = next + SPECIALS[special].length();
      }
      from = end;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** {@code <s>} and the text's bytes, as this tokenizer's {@code tokenizer.json} post-processor adds. */
  @Override
  public int[] encodeDocument(String text) {
    int[] body = encode(text);
    int[] out = new int[body.length + 1];
    out[0] = BOS;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  @Override
  public int idOf(String token) {
    for (int i = 0; i < SPECIALS.length; i++) {
      if (SPECIALS[i].equals(token)) {
        return BOS + i;
      }
    }
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    return bytes.length == 1 ? bytes[0] & 0xff : -1;
  }

  @Override
  public int vocabSize() {
    return VOCAB_SIZE;
  }

  /** The text of {@code ids}, skipping special tokens; invalid UTF-8 becomes U+FFFD. */
  @Override
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
