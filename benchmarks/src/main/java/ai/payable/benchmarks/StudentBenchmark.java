package ai.payable.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.payable.core.catalog.RecordKind;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.model.WeightSource;
import ai.payable.training.train.Evaluation;
import ai.payable.training.train.Losses;
import ai.payable.training.train.TrainingLoop;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Does distillation matter for a real student? The teacher is SmolLM2-135M-Instruct with a LoRA
 * adapter trained on the sample DataNets' records (what a DataNet's model builder has). Three
 * students of the same shape (15 of its 30 layers) train with the same seed, data and steps: one
 * from scratch on the records alone (no teacher at all), one from every other teacher layer
 * (DistilBERT's initialisation) on the records alone (the initialisation without the distillation
 * loss), and the distilled one: teacher layers and the teacher's softened predictions (α 0.5, T 1
 * by default). Prints held-out perplexity and KL to the teacher of each, and the teacher's own. Usage: {@code benchmarks/run student [--records N] [--epochs N] [--alpha A] [--temperature T]}.
 */
public final class StudentBenchmark {

  private StudentBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = 300;
    int epochs = 1;
    float alpha = 0.5f;
    float temperature = 1f;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--alpha" -> alpha = Float.parseFloat(args[++i]);
        case "--temperature" -> temperature = Float.parseFloat(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --records N, --epochs N, --alpha A, --temperature T)");
      }
    }
    Path root = Path.of("").toAbsolutePath();
    Path model = root.resolve("build/hf/smollm2-135m-instruct");
    if (!Files.isRegularFile(model.resolve("config.json"))) {
      throw new IllegalStateException(model + " is missing: run `make models`");
    }
    Path landing = root.resolve("build/bench/student/landing-" + records);
    if (!Files.exists(landing)) {
      SampleSubmissions.write(landing, records, 12, 0.0, "2026-11-20", 1);
    }
    ObjectMapper json = new ObjectMapper();
    List<TokenSequence> train = new ArrayList<>();
    List<TokenSequence> heldout = new ArrayList<>();
    try (Stream<Path> files = Files.walk(landing.resolve("landing")); ChatFormat format = ChatFormat.open(model, 49152);
        NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode r = json.readTree(line);
          TokenSequence s = RecordKind.QA.value().equals(r.path("kind").asText()) ? format.answer(r.path("prompt").asText(), r.path("completion").asText())
              : format.document(r.path("text").asText());
          (Math.floorMod(line.hashCode(), 10) == 0 ? heldout : train).add(s.truncated(384));
        }
      }
      int pad = format.specials().padId();
      Checkpoint checkpoint = Checkpoint.open(model);
      TrainingLoop.Listener progress = (s, n, l, t, sec) -> {
        if (s % Math.max(1, n / 10) == 0 || s == n) {
          System.err.printf(Locale.ROOT, "     step %d/%d loss %.4f %.0f tokens/s%n", s, n, l, t / sec);
        }
      };

      System.err.println("-> teacher: SmolLM2 + a LoRA adapter on " + train.size() + " records");
      Engines.seed(7);
      LlamaModel teacher = new LlamaModel(checkpoint.config(), new LoraSettings(8, 16, LoraSettings.PROJECTIONS));
      teacher.initialize(manager, DataType.FLOAT32, checkpoint);
      List<Parameter> adapter = new ArrayList<>();
      for (LoraLinear p : teacher.adaptedProjections()) {
        adapter.add(p.loraA());
        adapter.add(p.loraB());
      }
      new TrainingLoop(new TrainingLoop.Settings(epochs, 8, 5e-4f, 5, 0f, 7)).run(teacher, adapter, train, pad, TrainingLoop.crossEntropy(), progress);
      teacher.freezeParameters(true);

      int[] keep = IntStream.iterate(0, i -> i < checkpoint.config().layers(), i -> i + 2).toArray();
      TrainingLoop.Settings settings = new TrainingLoop.Settings(epochs, 8, 2e-4f, 5, 0f, 7);
      System.err.println("-> student from scratch on the records alone (" + keep.length + " layers)");
      Engines.seed(7);
      LlamaModel scratch = new LlamaModel(checkpoint.config().withLayers(keep.length), null);
      scratch.initialize(manager);
      new TrainingLoop(settings).run(scratch, new ArrayList<>(scratch.getParameters().values()), train, pad, TrainingLoop.crossEntropy(), progress);
      System.err.println("-> student from the teacher's layers, on the records alone");
      LlamaModel plain = student(manager, checkpoint, keep);
      new TrainingLoop(settings).run(plain, new ArrayList<>(plain.getParameters().values()), train, pad, TrainingLoop.crossEntropy(), progress);
      System.err.println("-> student distilled from the teacher");
      LlamaModel distilled = student(manager, checkpoint, keep);
      new TrainingLoop(settings).run(distilled, new ArrayList<>(distilled.getParameters().values()), train, pad,
          TrainingLoop.distillation(teacher, alpha, temperature, Losses.Divergence.FORWARD_KL), progress);

      Evaluation.Result t = Evaluation.of(teacher, null, heldout, pad, 8, manager);
      Evaluation.Result f = Evaluation.of(scratch, teacher, heldout, pad, 8, manager);
      Evaluation.Result p = Evaluation.of(plain, teacher, heldout, pad, 8, manager);
      Evaluation.Result d = Evaluation.of(distilled, teacher, heldout, pad, 8, manager);
      System.out.printf(Locale.ROOT, "RESULT student records=%d train=%d heldout=%d epochs=%d alpha=%.2f temperature=%.1f layers=%d/%d teacher_ppl=%.3f "
          + "scratch_ppl=%.3f scratch_kl=%.4f teacher_init_ppl=%.3f teacher_init_kl=%.4f distilled_ppl=%.3f distilled_kl=%.4f%n", records, train.size(),
          heldout.size(), epochs, alpha, temperature, keep.length, checkpoint.config().layers(), t.perplexity(), f.perplexity(), f.klToTeacher(),
          p.perplexity(), p.klToTeacher(), d.perplexity(), d.klToTeacher());
    }
  }

  /** A student of {@code keep.length} layers, initialised from those layers of the checkpoint. */
  private static LlamaModel student(NDManager manager, Checkpoint checkpoint, int[] keep) {
    LlamaModel m = new LlamaModel(checkpoint.config().withLayers(keep.length), null);
    WeightSource layers = checkpoint.withLayers(keep);
    m.initialize(manager, DataType.FLOAT32, layers);
    return m;
  }
}
