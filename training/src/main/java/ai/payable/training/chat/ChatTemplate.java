package ai.payable.training.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's chat template (Jinja, from {@code chat_template.jinja} or {@code tokenizer_config.json})
 * rendered with Jinjava under the settings transformers uses for {@code apply_chat_template}:
 * {@code trim_blocks} and {@code lstrip_blocks}, the variables {@code messages},
 * {@code add_generation_prompt}, {@code bos_token} and {@code eos_token}, and
 * {@code raise_exception(message)}. A template error fails loudly: a model prompted in a layout it
 * was not tuned on answers badly without saying why.
 */
public final class ChatTemplate {

  /** One turn of a conversation: {@code role} is {@code system}, {@code user} or {@code assistant}. */
  public record Message(String role, String content) {
    /** A user turn. */
    public static Message user(String content) {
      return new Message("user", content);
    }

    /** An assistant turn. */
    public static Message assistant(String content) {
      return new Message("assistant", content);
    }

    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("role", role);
      m.put("content", content);
      return m;
    }
  }

  /** What {@code raise_exception} throws: the template refused the conversation. */
  public static final class TemplateRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TemplateRefusal(String message) {
      super(message);
    }
  }

  /** Whitespace before a tag opened with a minus ({@code {{-}, {@code {%-}, {@code {#-}). */
  private static final java.util.regex.Pattern STRIP_BEFORE = java.util.regex.Pattern.compile("\\s*(\\{[{%#])-");

  /** Whitespace after a tag closed with a minus ({@code -}}}, {@code -%}}, {@code -#}}). */
  private static final java.util.regex.Pattern STRIP_AFTER = java.util.regex.Pattern.compile("-([}%#]\\})\\s*");

  private final String source;
  private final String prepared;
  private final String origin;
  private final Jinjava jinjava;

  /**
   * @param source the Jinja text
   * @param origin where it came from, for errors (e.g. {@code …/chat_template.jinja})
   */
  public ChatTemplate(String source, String origin) {
    this.source = source;
    // Jinja's whitespace control, applied before Jinjava sees the template: Jinjava mishandles a
    // minus tag after a block tag under trim_blocks (it keeps the indentation that jinja2 strips).
    this.prepared = STRIP_AFTER.matcher(STRIP_BEFORE.matcher(source).replaceAll("$1")).replaceAll("$1");
    this.origin = origin;
    this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
  }

  /** The Jinja text. */
  public String source() {
    return source;
  }

  /** Called by templates as {@code raise_exception('…')}. */
  public static String raiseException(String message) {
    throw new TemplateRefusal(message);
  }

  /**
   * The conversation as the model reads it.
   *
   * @param addGenerationPrompt whether to open the assistant's turn (for generation)
   */
  public String render(List<Message> messages, boolean addGenerationPrompt, String bosToken, String eosToken) {
    List<Map<String, Object>> turns = new ArrayList<>();
    messages.forEach(m -> turns.add(m.asMap()));
    Map<String, Object> bindings = new HashMap<>();
    bindings.put("messages", turns);
    bindings.put("add_generation_prompt", addGenerationPrompt);
    bindings.put("bos_token", bosToken == null ? "" : bosToken);
    bindings.put("eos_token", eosToken == null ? "" : eosToken);
    RenderResult result;
    try {
      result = jinjava.renderForResult(prepared, bindings);
    } catch (TemplateRefusal refusal) {
      throw new IllegalArgumentException(origin + ": the chat template refused the conversation: " + refusal.getMessage(), refusal);
    }
    for (TemplateError e : result.getErrors()) {
      for (Throwable t = e.getException(); t != null; t = t.getCause()) {
        if (t instanceof TemplateRefusal refusal) {
          throw new IllegalArgumentException(origin + ": the chat template refused the conversation: " + refusal.getMessage(), refusal);
        }
      }
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw new IllegalArgumentException(origin + ": chat template error at line " + e.getLineno() + ": " + e.getMessage());
      }
    }
    return result.getOutput();
  }
}
