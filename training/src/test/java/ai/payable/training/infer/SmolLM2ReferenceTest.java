package ai.payable.training.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.ChatTemplate.Message;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.checkpoint.SafeTensors;
import ai.payable.training.engine.Engines;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.reference.HuggingFaceReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that the imported SmolLM2-135M-Instruct is the real model: on prompts rendered
 * through its chat template, our tokens, next-token logits (full model, fp32) and 32-token greedy
 * answers (batched, left-padded, with the KV cache) equal those of transformers on the same files.
 */
class SmolLM2ReferenceTest {

  static final List<List<Message>> CONVERSATIONS = List.of(
      List.of(Message.user("What is the capital of France?")),
      List.of(new Message("system", "You are a concise assistant for farmers."), Message.user("When should winter wheat be planted in a temperate climate?")),
      List.of(Message.user("Explain in one sentence why the sky is blue.")));

  @TempDir Path work;

  @Test
  void tokensLogitsAndGreedyAnswersMatchTransformers() throws Exception {
    Path model = HuggingFaceReference.smollm2();
    List<Map<String, Object>> requests = new ArrayList<>();
    for (List<Message> c : CONVERSATIONS) {
      requests.add(Map.of("messages", c.stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList()));
    }
    HuggingFaceReference.writeJson(work.resolve("requests.json"), requests);
    HuggingFaceReference.run("generate", "--model", model.toString(), "--requests", work.resolve("requests.json").toString(), "--out",
        work.resolve("reference").toString(), "--new-tokens", "32");
    JsonNode results = HuggingFaceReference.json(work.resolve("reference.json")).path("results");
    SafeTensors expectedLogits = SafeTensors.open(work.resolve("reference.safetensors"));

    Engines.Scope noGrad = Engines.noGradients();

    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice()); ChatFormat format = ChatFormat.open(model, 49152)) {
      LlamaModel llama = ModelFiles.load(manager, model, null);
      List<int[]> prompts = new ArrayList<>();
      for (int i = 0; i < CONVERSATIONS.size(); i++) {
        JsonNode r = results.get(i);
        assertEquals(r.path("rendered").asText(), format.render(CONVERSATIONS.get(i), true), "chat template, conversation " + i);
        int[] ids = format.prompt(CONVERSATIONS.get(i));
        assertArrayEquals(ints(r.path("ids")), ids, "tokens, conversation " + i);
        prompts.add(ids);

        float[] expected = expectedLogits.read("logits." + i).data();
        float[] actual;
        try (NDManager step = manager.newSubManager()) {
          long[] wide = Arrays.stream(ids).asLongStream().toArray();
          NDArray logits = llama.forward(new ParameterStore(step, false), new NDList(step.create(wide, new Shape(1, ids.length))), false).singletonOrThrow();
          actual = logits.get(new NDIndex("0, -1, :")).toFloatArray();
        }
        double worst = 0;
        for (int v = 0; v < actual.length; v++) {
          worst = Math.max(worst, Math.abs(actual[v] - expected[v]));
        }
        assertTrue(worst <= 1e-3, "conversation " + i + ": next-token logits differ from transformers by " + worst);
        System.out.printf(java.util.Locale.ROOT, "conversation %d: %d prompt tokens, max |logit - transformers| = %.2e%n", i, ids.length, worst);
      }

      List<Generator.Output> answers = new Generator(llama, format, manager).generate(prompts, Generator.Settings.greedy(32));
      for (int i = 0; i < answers.size(); i++) {
        int[] expected = ints(results.get(i).path("greedy"));
        int stop = 0;
        while (stop < expected.length && !format.specials().stops(expected[stop])) {
          stop++;
        }
        assertArrayEquals(Arrays.copyOf(expected, stop), answers.get(i).tokens(), "greedy answer " + i + ": " + answers.get(i).text()
            + " vs " + results.get(i).path("text").asText());
        assertEquals(stop < expected.length ? Generator.Finish.STOP : Generator.Finish.LENGTH, answers.get(i).finish());
        System.out.println("answer " + i + " (" + answers.get(i).finish() + "): " + answers.get(i).text());
      }
      assertTrue(answers.get(0).text().contains("Paris"), answers.get(0).text());

      // Sampling is seeded per prompt: the same seed gives the same answer, alone or in a batch.
      Generator generator = new Generator(llama, format, manager);
      Generator.Settings sampled = new Generator.Settings(16, 0.8f, 0.9f, 0, List.of(), true);
      Generator.Output alone = generator.generate(List.of(prompts.get(2)), new long[] {42}, sampled).get(0);
      Generator.Output batched = generator.generate(prompts, new long[] {7, 8, 42}, sampled).get(2);
      assertArrayEquals(alone.tokens(), batched.tokens(), alone.text() + " vs " + batched.text());
      // A stop string ends the answer before it.
      Generator.Output stopped = generator.generate(prompts.get(0), new Generator.Settings(32, 0f, 1f, 0, List.of(" is"), true));
      assertEquals(Generator.Finish.STOP_STRING, stopped.finish());
      assertEquals("The capital of France", stopped.text());
    } finally {
      noGrad.close();
    }
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }
}
