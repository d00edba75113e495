package ai.payable.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.tokenizer.ByteTokenizer;
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
import java.util.stream.Stream;

/**
 * Does distillation matter? On the sample DataNets' records, trains the teacher of
 * {@code training/specs/teacher.yaml}, then two students of the student's shape with the same seed,
 * data and steps: one on the records alone, one distilled from the teacher (α 0.5, T 1). Prints
 * held-out perplexity and KL to the teacher of both.
 * Usage: {@code benchmarks/run distill [--records N]}.
 */
public final class DistillationBenchmark {

  private DistillationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length == 2 && args[0].equals("--records") ? Integer.parseInt(args[1]) : 3000;
    Path work = Files.createDirectories(Path.of("build/bench/distill").toAbsolutePath());
    Path landing = work.resolve("landing");
    if (!Files.exists(landing)) {
      SampleSubmissions.write(landing, records, 12, 0.0, "2026-11-20", 1);
    }
    ObjectMapper json = new ObjectMapper();
    ByteTokenizer tokenizer = new ByteTokenizer();
    List<TokenSequence> train = new ArrayList<>();
    List<TokenSequence> heldout = new ArrayList<>();
    try (Stream<Path> files = Files.walk(landing)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode r = json.readTree(line);
          String text = "qa".equals(r.path("kind").asText()) ? r.path("prompt").asText() + "\n" + r.path("completion").asText() : r.path("text").asText();
          (Math.floorMod(line.hashCode(), 10) == 0 ? heldout : train).add(TokenSequence.document(tokenizer.encode(text, true, 256)));
        }
      }
    }
    LlamaConfig teacherShape = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 96, 3, 4, 256, 256);
    LlamaConfig studentShape = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 64, 2, 4, 172, 256);
    TrainingLoop.Settings settings = new TrainingLoop.Settings(2, 16, 6e-3f, 20, 0f, 7);
    try (NDManager manager = NDManager.newBaseManager()) {
      LlamaModel teacher = model(manager, teacherShape);
      new TrainingLoop(settings).run(teacher, new ArrayList<>(teacher.getParameters().values()), train, ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {});
      teacher.freezeParameters(true);
      LlamaModel plain = model(manager, studentShape);
      new TrainingLoop(settings).run(plain, new ArrayList<>(plain.getParameters().values()), train, ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {});
      LlamaModel distilled = model(manager, studentShape);
      new TrainingLoop(settings).run(distilled, new ArrayList<>(distilled.getParameters().values()), train, ByteTokenizer.PAD,
          TrainingLoop.distillation(teacher, 0.5f, 1f, Losses.Divergence.FORWARD_KL), (s, n, l, t, sec) -> {});
      Evaluation.Result t = Evaluation.of(teacher, null, heldout, ByteTokenizer.PAD, 32, manager);
      Evaluation.Result p = Evaluation.of(plain, teacher, heldout, ByteTokenizer.PAD, 32, manager);
      Evaluation.Result d = Evaluation.of(distilled, teacher, heldout, ByteTokenizer.PAD, 32, manager);
      System.out.printf(Locale.ROOT, "RESULT distill records=%d heldout=%d teacher_ppl=%.4f plain_ppl=%.4f plain_kl=%.4f distilled_ppl=%.4f distilled_kl=%.4f "
          + "kl_ratio=%.3f ppl_ratio=%.3f%n", train.size() + heldout.size(), heldout.size(), t.perplexity(), p.perplexity(), p.klToTeacher(), d.perplexity(),
          d.klToTeacher(), d.klToTeacher() / p.klToTeacher(), d.perplexity() / p.perplexity());
    }
  }

  private static LlamaModel model(NDManager manager, LlamaConfig config) {
    Engines.seed(7);
    LlamaModel m = new LlamaModel(config, null);
    m.initialize(manager);
    return m;
  }
}
