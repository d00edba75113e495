package ai.payable.training.chat;

import ai.payable.core.catalog.AcceptedRecord;
import ai.payable.core.catalog.RecordKind;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.tokenizer.HuggingFaceTokens;
import ai.payable.training.tokenizer.TextTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How one model reads conversations: its tokenizer, its chat template and its special tokens,
 * loaded from the files of a Hugging Face model directory ({@code tokenizer.json},
 * {@code tokenizer_config.json}, {@code chat_template.jinja}, {@code generation_config.json},
 * {@code config.json}). Questions are prompted, and Q&amp;A records laid out for training, exactly
 * as the model was instruct-tuned; the answer's tokens (up to and including the end-of-turn token)
 * are the only targets.
 */
public final class ChatFormat implements AutoCloseable {

  /** The layout of models without a template of their own: {@code <s>question\nanswer</s>}. */
  public static final String PLAIN_TEMPLATE = "{% for message in messages %}{% if message['role'] == 'assistant' %}{{ message['content'] + eos_token }}"
      + "{% else %}{{ bos_token + message['content'] + '\n' }}{% endif %}{% endfor %}";

  public static final String TOKENIZER = "tokenizer.json";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  public static final String CHAT_TEMPLATE = "chat_template.jinja";
  public static final String GENERATION_CONFIG = "generation_config.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TextTokenizer tokenizer;
  private final ChatTemplate template;
  private final SpecialTokens specials;

  public ChatFormat(TextTokenizer tokenizer, ChatTemplate template, SpecialTokens specials) {
    this.tokenizer = tokenizer;
    this.template = template;
    this.specials = specials;
  }

  /** The byte-level tokenizer of from-scratch models with the plain layout. */
  public static ChatFormat bytes() {
    return new ChatFormat(new ByteTokenizer(), new ChatTemplate(PLAIN_TEMPLATE, "the plain chat layout"),
        new SpecialTokens("<s>", "</s>", ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD, new int[] {ByteTokenizer.EOS}));
  }

  /**
   * Loads the format of the model in {@code dir}.
   *
   * @param vocabSize the model's vocabulary size ({@code config.json}); special ids must fall inside it
   */
  public static ChatFormat open(Path dir, int vocabSize) throws IOException {
    JsonNode config = readJson(dir.resolve("config.json"));
    JsonNode tokenizerConfig = readJson(dir.resolve(TOKENIZER_CONFIG));
    JsonNode generation = readJson(dir.resolve(GENERATION_CONFIG));
    TextTokenizer tokenizer = HuggingFaceTokens.open(dir.resolve(TOKENIZER), vocabSize);
    try {
      String origin = dir.resolve(TOKENIZER_CONFIG).toString();
      String bos = tokenText(tokenizerConfig.path("bos_token"));
      String eos = tokenText(tokenizerConfig.path("eos_token"));
      int bosId = bos.isEmpty() ? config.path("bos_token_id").asInt(-1) : tokenizer.idOf(bos);
      int eosId = eos.isEmpty() ? firstId(generation.path("eos_token_id"), config.path("eos_token_id")) : tokenizer.idOf(eos);
      if (eosId < 0 || eosId >= vocabSize) {
        throw new IOException(origin + ": eos_token \"" + eos + "\" is not a single token of " + dir.resolve(TOKENIZER)
            + " (id " + eosId + "); the model could never end an answer");
      }
      if (eos.isEmpty()) {
        eos = tokenizer.decode(new int[] {eosId});
      }
      String pad = tokenText(tokenizerConfig.path("pad_token"));
      int padId = !pad.isEmpty() && tokenizer.idOf(pad) >= 0 ? tokenizer.idOf(pad)
          : firstId(generation.path("pad_token_id"), config.path("pad_token_id"));
      Set<Integer> stops = new LinkedHashSet<>();
      stops.add(eosId);
      ids(generation.path("eos_token_id")).forEach(stops::add);
      SpecialTokens specials = new SpecialTokens(bos, eos, bosId, eosId, padId < 0 ? eosId : padId,
          stops.stream().mapToInt(Integer::intValue).toArray());
      return new ChatFormat(tokenizer, template(dir, tokenizerConfig), specials);
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** The model's chat template, or the plain layout when it has none. */
  private static ChatTemplate template(Path dir, JsonNode tokenizerConfig) throws IOException {
    Path file = dir.resolve(CHAT_TEMPLATE);
    if (Files.isRegularFile(file)) {
      return new ChatTemplate(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }
    JsonNode t = tokenizerConfig.path("chat_template");
    String origin = dir.resolve(TOKENIZER_CONFIG) + " (chat_template)";
    if (t.isTextual()) {
      return new ChatTemplate(t.asText(), origin);
    }
    if (t.isArray()) {
      for (JsonNode named : t) {
        if (named.path("name").asText().equals("default")) {
          return new ChatTemplate(named.path("template").asText(), origin);
        }
      }
      throw new IOException(origin + " lists templates " + t.findValuesAsText("name") + " but none named \"default\"");
    }
    return new ChatTemplate(PLAIN_TEMPLATE, "the plain chat layout (" + dir + " has no chat template)");
  }

  /** The tokenizer. */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The chat template. */
  public ChatTemplate template() {
    return template;
  }

  /** The special tokens. */
  public SpecialTokens specials() {
    return specials;
  }

  /** The text the model reads for {@code messages}. */
  public String render(List<ChatTemplate.Message> messages, boolean addGenerationPrompt) {
    return template.render(messages, addGenerationPrompt, specials.bos(), specials.eos());
  }

  /** The tokens that ask the model to answer {@code messages}: the conversation and the opened assistant turn. */
  public int[] prompt(List<ChatTemplate.Message> messages) {
    return tokenizer.encode(render(messages, true));
  }

  /** The tokens that ask the model to answer one question. */
  public int[] prompt(String question) {
    return prompt(List.of(ChatTemplate.Message.user(question)));
  }

  /**
   * A question and its answer as the model reads them: the prompt (context) and the answer's
   * tokens up to and including the end-of-turn token (targets). What the template writes after
   * the end of the turn (a newline) is left out.
   */
  public TokenSequence answer(String question, String answer) {
    int[] prompt = prompt(question);
    int[] full = tokenizer.encode(render(List.of(ChatTemplate.Message.user(question), ChatTemplate.Message.assistant(answer)), false));
    for (int i = 0; i < prompt.length; i++) {
      if (i >= full.length || full[i] != prompt[i]) {
        throw new IllegalStateException("the chat template does not render a question with its answer as the question's prompt followed by the answer "
            + "(tokens differ at position " + i + "), so the answer's tokens cannot be told apart");
      }
    }
    int end = full.length;
    for (int i = prompt.length; i < full.length; i++) {
      if (specials.stops(full[i])) {
        end = i + 1;
        break;
      }
    }
    if (end == prompt.length) {
      throw new IllegalStateException("the answer to \"" + question + "\" renders to no tokens");
    }
    return new TokenSequence(java.util.Arrays.copyOf(full, end), prompt.length);
  }

  /** A DataNet record as the model reads it: the answer given the question, or the text as a document. */
  public TokenSequence record(AcceptedRecord record) {
    return record.kind() == RecordKind.QA ? answer(record.prompt(), record.completion()) : document(record.text());
  }

  /** A text record as a document: the tokenizer's document tokens and the end-of-sequence token. */
  public TokenSequence document(String text) {
    int[] body = tokenizer.encodeDocument(text);
    int[] tokens = java.util.Arrays.copyOf(body, body.length + 1);
    tokens[body.length] = specials.eosId();
    return TokenSequence.document(tokens.length >= 2 ? tokens : new int[] {specials.eosId(), specials.eosId()});
  }

  /** The text of generated ids, special tokens left out. */
  public String decode(int[] ids) {
    return tokenizer.decode(ids);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static String tokenText(JsonNode token) {
    if (token.isTextual()) {
      return token.asText();
    }
    return token.path("content").asText("");
  }

  private static List<Integer> ids(JsonNode node) {
    List<Integer> out = new ArrayList<>();
    if (node.isInt()) {
      out.add(node.asInt());
    }
    node.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static int firstId(JsonNode first, JsonNode second) {
    List<Integer> a = ids(first);
    if (!a.isEmpty()) {
      return a.get(0);
    }
    List<Integer> b = ids(second);
    return b.isEmpty() ? -1 : b.get(0);
  }

  private static JsonNode readJson(Path file) throws IOException {
    return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
  }
}
