package ai.payable.training.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.model.TinyCorpus;
import ai.payable.training.tokenizer.ByteTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A student distilled from a teacher ends closer to it, on held-out text, than one trained on the text alone. */
class DistillationTest {

  private static List<TokenSequence> tokens(List<String> texts) {
    return TinyCorpus.documents(texts, 64);
  }

  private static LlamaModel model(NDManager manager, LlamaConfig config, long seed) {
    Engines.seed(seed);
    LlamaModel m = new LlamaModel(config, null);
    m.initialize(manager);
    return m;
  }

  @Test
  void distilledStudentIsCloserToTheTeacherThanAnUndistilledOne() {
    List<TokenSequence> train = tokens(TinyCorpus.sentences(192, 11));
    List<TokenSequence> heldout = tokens(TinyCorpus.sentences(64, 12));
    LlamaConfig big = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 64, 2, 4, 128, 64);
    LlamaConfig small = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 16, 1, 2, 32, 64);
    try (NDManager manager = NDManager.newBaseManager()) {
      LlamaModel teacher = model(manager, big, 1);
      new TrainingLoop(new TrainingLoop.Settings(6, 16, 1e-2f, 5, 0f, 1)).run(teacher, new ArrayList<>(teacher.getParameters().values()), train,
          ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {});
      teacher.freezeParameters(true);

      TrainingLoop.Settings studentSettings = new TrainingLoop.Settings(8, 16, 1e-2f, 5, 0f, 2);
      LlamaModel plain = model(manager, small, 2);
      new TrainingLoop(studentSettings).run(plain, new ArrayList<>(plain.getParameters().values()), train, ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {});
      LlamaModel distilled = model(manager, small, 2);
      new TrainingLoop(studentSettings).run(distilled, new ArrayList<>(distilled.getParameters().values()), train, ByteTokenizer.PAD,
          TrainingLoop.distillation(teacher, 0.5f, 1f, Losses.Divergence.FORWARD_KL), (s, n, l, t, sec) -> {});

      Evaluation.Result t = Evaluation.of(teacher, null, heldout, ByteTokenizer.PAD, 32, manager);
      Evaluation.Result p = Evaluation.of(plain, teacher, heldout, ByteTokenizer.PAD, 32, manager);
      Evaluation.Result d = Evaluation.of(distilled, teacher, heldout, ByteTokenizer.PAD, 32, manager);
      System.out.printf(Locale.ROOT, "held-out: teacher ppl %.3f | plain student ppl %.3f KL %.4f | distilled student ppl %.3f KL %.4f%n",
          t.perplexity(), p.perplexity(), p.klToTeacher(), d.perplexity(), d.klToTeacher());
      assertTrue(d.klToTeacher() < p.klToTeacher(), "distilled KL " + d.klToTeacher() + " vs plain " + p.klToTeacher());
    }
  }
}
