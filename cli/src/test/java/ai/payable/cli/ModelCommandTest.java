package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.testing.SparkTestBase;
import ai.payable.training.reference.HuggingFaceReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A model builder's first minutes with a real model: import the shipped SmolLM2, list it, ask it something. */
class ModelCommandTest extends SparkTestBase {

  @Test
  void importsSmolLM2AndAnswersInFluentEnglish() throws Exception {
    String lh = lakehouse.root().toString();
    String models = scratch.resolve("models").toString();
    Cli.Run imported = Cli.run("model", "import", "--lakehouse", lh, "--from", HuggingFaceReference.smollm2().toString(), "--models", models);
    assertEquals(0, imported.code(), imported.err());
    assertTrue(imported.out().startsWith("model smollm2-135m-instruct-") && imported.out().contains("(base, 134,515,008 parameters, 30 layers)"),
        imported.out());
    assertTrue(imported.out().contains("try   payable infer --model smollm2-135m-instruct --prompt"), imported.out());

    Cli.Run listed = Cli.run("model", "list", "--lakehouse", lh);
    assertTrue(listed.out().contains("smollm2-135m-instruct") && listed.out().contains("base"), listed.out());

    Cli.Run asked = Cli.run("infer", "--lakehouse", lh, "--model", "smollm2-135m-instruct", "--prompt", "What is the capital of France?",
        "--max-new-tokens", "24", "--cache", scratch.resolve("cache").toString());
    assertEquals(0, asked.code(), asked.err());
    assertEquals("The capital of France is Paris.\n", asked.out());

    Cli.Run twoAdapters = Cli.run("infer", "--lakehouse", lh, "--model", "smollm2-135m-instruct", "--adapters", "a,b", "--prompt", "Hi");
    assertEquals(1, twoAdapters.code());
    assertTrue(twoAdapters.err().contains("--prompt answers with one model: give at most one adapter"), twoAdapters.err());

    Path broken = scratch.resolve("broken");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("config.json"), Files.readString(HuggingFaceReference.smollm2().resolve("config.json")).replace("\"llama\"", "\"qwen2\""));
    Cli.Run refused = Cli.run("model", "import", "--lakehouse", lh, "--from", broken.toString(), "--models", models);
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains(broken.resolve("config.json") + ": model_type = \"qwen2\" is not supported"), refused.err());
  }
}
