package ai.payable.training.reference;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Hugging Face reference the tests compare against: {@code training/reference/reference.py}
 * run by the pinned venv {@code .venv-models} (transformers, peft, torch on the CPU), and the
 * shipped SmolLM2 converted to Hugging Face layout under {@code build/models/}. Both come from
 * {@code make models} (which {@code make test} runs); a missing one fails with that command named.
 */
public final class HuggingFaceReference {

  private static final ObjectMapper JSON = new ObjectMapper();

  private HuggingFaceReference() {}

  /** The repository's root. */
  public static Path root() {
    return Path.of(System.getProperty("payable.root", "..")).toAbsolutePath().normalize();
  }

  /** SmolLM2-135M-Instruct in Hugging Face layout. */
  public static Path smollm2() {
    Path dir = root().resolve("build/hf/smollm2-135m-instruct");
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      fail(dir + " is missing: run `make models` (make test does) to convert the shipped SmolLM2 GGUF");
    }
    return dir;
  }

  /**
   * A copy of SmolLM2 with only its first {@code layers} decoder layers (and its real embedding,
   * head, norm and tokenizer), written to {@code dir}: what tests train on to stay fast.
   */
  public static Path truncatedSmolLM2(Path dir, int layers) throws IOException {
    ai.payable.training.checkpoint.Checkpoint full = ai.payable.training.checkpoint.Checkpoint.open(smollm2());
    try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager(ai.payable.training.engine.Engines.pytorch().defaultDevice())) {
      ai.payable.training.model.LlamaModel model = new ai.payable.training.model.LlamaModel(full.config().withLayers(layers), null);
      model.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, full);
      ai.payable.training.checkpoint.ModelFiles.writeBase(model, dir, smollm2());
    }
    return dir;
  }

  /** Runs {@code reference.py} with {@code args}; fails with its output when it fails. */
  public static void run(String... args) throws IOException, InterruptedException {
    Path python = root().resolve(".venv-models/bin/python");
    if (!Files.isExecutable(python)) {
      fail(python + " is missing: run `make models` (make test does) to install the pinned transformers/peft venv");
    }
    List<String> command = new ArrayList<>(List.of(python.toString(), root().resolve("training/reference/reference.py").toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("reference", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("reference.py " + String.join(" ", args) + " took longer than 15 minutes");
    }
    if (p.exitValue() != 0) {
      String out = Files.readString(log, StandardCharsets.UTF_8);
      fail("reference.py " + String.join(" ", args) + " failed (" + p.exitValue() + "):\n" + out.substring(Math.max(0, out.length() - 4000)));
    }
  }

  /** Reads a JSON file the reference wrote. */
  public static JsonNode json(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  /** Writes {@code value} as JSON (requests for the reference). */
  public static void writeJson(Path file, Object value) throws IOException {
    JSON.writeValue(file.toFile(), value);
  }
}
