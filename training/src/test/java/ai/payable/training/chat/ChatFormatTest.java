package ai.payable.training.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.training.chat.ChatTemplate.Message;
import ai.payable.training.reference.HuggingFaceReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat templates render as transformers renders them (jinja2 with Hugging Face's settings), for
 * SmolLM2's own template and for templates in the styles of other model families; and a question
 * with its answer is laid out so that exactly the answer and its end-of-turn token are targets.
 */
class ChatFormatTest {

  @TempDir Path work;

  /** Llama 3's style: header tokens, '\n\n' escapes, trim filters, a system message taken out of the loop. */
  private static final String LLAMA3_STYLE = """
      {{- bos_token }}
      {%- if messages[0]['role'] == 'system' %}
          {%- set system_message = messages[0]['content']|trim %}
          {%- set messages = messages[1:] %}
      {%- else %}
          {%- set system_message = "You are a helpful assistant." %}
      {%- endif %}
      {{- "<|start_header_id|>system<|end_header_id|>\\n\\n" + system_message + "<|eot_id|>" }}
      {%- for message in messages %}
          {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}
      {%- endfor %}
      {%- if add_generation_prompt %}
          {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
      {%- endif %}
      """;

  /** Mistral's style: alternation checked with raise_exception, loop.first / loop.last, [INST] markers. */
  private static final String MISTRAL_STYLE = """
      {{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}
      {% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% endif %}
      {% endfor %}""";

  private static final List<List<Message>> CONVERSATIONS = List.of(
      List.of(Message.user("What is crop rotation?")),
      List.of(Message.user("  Name a legume.  "), Message.assistant("Clover."), Message.user("And a cereal?")));

  @Test
  void templatesRenderAsTransformersRendersThem() throws Exception {
    Path model = HuggingFaceReference.smollm2();
    List<Map<String, Object>> requests = new ArrayList<>();
    for (List<Message> c : CONVERSATIONS) {
      requests.add(Map.of("messages", c.stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList()));
    }
    HuggingFaceReference.writeJson(work.resolve("requests.json"), requests);
    try (ChatFormat format = ChatFormat.open(model, 49152)) {
      for (String template : List.of("", LLAMA3_STYLE, MISTRAL_STYLE)) {
        List<String> args = new ArrayList<>(List.of("render", "--model", model.toString(), "--requests", work.resolve("requests.json").toString(),
            "--out", work.resolve("rendered.json").toString()));
        ChatTemplate ours = format.template();
        if (!template.isEmpty()) {
          Files.writeString(work.resolve("template.jinja"), template);
          args.addAll(List.of("--template", work.resolve("template.jinja").toString()));
          ours = new ChatTemplate(template, "test template");
        }
        HuggingFaceReference.run(args.toArray(String[]::new));
        JsonNode expected = HuggingFaceReference.json(work.resolve("rendered.json"));
        for (int i = 0; i < CONVERSATIONS.size(); i++) {
          SpecialTokens s = format.specials();
          assertEquals(expected.get(i).path("plain").asText(), ours.render(CONVERSATIONS.get(i), false, s.bos(), s.eos()), "template " + template + ", " + i);
          assertEquals(expected.get(i).path("with_generation_prompt").asText(), ours.render(CONVERSATIONS.get(i), true, s.bos(), s.eos()),
              "template " + template + ", " + i + ", with the generation prompt");
        }
      }
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> new ChatTemplate(MISTRAL_STYLE, "mistral.jinja").render(List.of(Message.assistant("Hi")), false, "<s>", "</s>"));
      assertEquals("mistral.jinja: the chat template refused the conversation: Conversation roles must alternate user/assistant/user/assistant/...",
          refused.getMessage());
    }
  }

  @Test
  void onlyTheAnswerAndItsEndOfTurnAreTargets() throws Exception {
    try (ChatFormat format = ChatFormat.open(HuggingFaceReference.smollm2(), 49152)) {
      TokenSequence s = format.answer("What is the capital of France?", "Paris.");
      int[] prompt = format.prompt("What is the capital of France?");
      assertArrayEquals(prompt, Arrays.copyOf(s.tokens(), s.firstTarget()), "the context is exactly the generation prompt");
      int[] targets = s.targetTokens();
      assertEquals("Paris.", format.decode(targets));
      assertEquals(format.specials().eosId(), targets[targets.length - 1], "the answer ends with <|im_end|>, which teaches the model to stop");
      assertEquals("<|im_end|>", format.specials().eos());
      assertTrue(format.specials().stops(2) && format.specials().padId() == 2, format.specials().toString());

      TokenSequence doc = format.document("Clover fixes nitrogen.");
      assertEquals(format.specials().eosId(), doc.tokens()[doc.tokens().length - 1]);
      assertEquals("Clover fixes nitrogen.", format.decode(doc.tokens()));

      TokenSequence cut = s.truncated(prompt.length);
      assertEquals(prompt.length, cut.tokens().length);
      assertTrue(cut.targets() >= 1 && cut.targets() <= prompt.length / 2, "a question that fills max_length loses its start, not the answer: " + cut.targets());
    }
  }
}
