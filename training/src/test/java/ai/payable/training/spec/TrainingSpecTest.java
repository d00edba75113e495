package ai.payable.training.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.payable.training.train.Losses;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Specs parse with documented defaults, and every bad value fails naming the file, field and value. */
class TrainingSpecTest {

  private static final String ADAPTER = """
      name: derm-adapter
      kind: adapter
      base: student-all
      datanets: [dermatology]
      lora: {rank: 8, alpha: 16, targets: [q_proj, v_proj]}
      """;

  private static String error(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> TrainingSpec.parse(yaml, "s.yaml")).getMessage();
  }

  @Test
  void parsesWithDefaults() {
    TrainingSpec s = TrainingSpec.parse(ADAPTER, "s.yaml");
    assertEquals(TrainingSpec.Kind.ADAPTER, s.kind());
    assertEquals(8, s.lora().rank());
    assertEquals(2f, s.lora().scale());
    assertEquals(3, s.training().epochs());
    assertEquals("cpu", s.device());
    TrainingSpec student = TrainingSpec.parse("""
        name: student
        kind: student
        datanets: [a]
        distill: {teacher: t, divergence: reverse_kl}
        """, "s.yaml");
    assertEquals(Losses.Divergence.REVERSE_KL, student.distill().divergence());
    assertEquals(0.5f, student.distill().alpha());
  }

  @Test
  void badValuesAreNamed() {
    assertEquals("s.yaml: lora.rank must be positive, not 0", error(ADAPTER.replace("rank: 8", "rank: 0")));
    assertEquals("s.yaml: lora.targets: unknown projection 'qq_proj'; choose from " + ai.payable.training.lora.LoraSettings.PROJECTIONS + " or all-linear",
        error(ADAPTER.replace("[q_proj, v_proj]", "[qq_proj]")));
    assertEquals("s.yaml: kind = tutor: choose one of [teacher, student, adapter]", error(ADAPTER.replace("kind: adapter", "kind: tutor")));
    assertEquals("s.yaml: base = (missing): an adapter needs the base model it adapts (a model name or id)", error(ADAPTER.replace("base: student-all\n", "")));
    assertEquals("s.yaml: unknown key 'learning_rate'; allowed: [base, batch_size, datanets, device, distill, epochs, features, filter, heldout_fraction, init, kind, lora, max_length, model, name, optimizer, owner, schedule, seed, tokenizer]",
        error(ADAPTER + "learning_rate: 0.1\n"));
    assertEquals("s.yaml: epochs = \"three\": must be an integer", error(ADAPTER + "epochs: three\n"));
    assertEquals("s.yaml: device = tpu: must be cpu or gpu", error(ADAPTER + "device: tpu\n"));
    assertEquals("s.yaml: datanets = []: name at least one DataNet, or give a filter (a SQL condition over records)",
        error(ADAPTER.replace("datanets: [dermatology]\n", "")));
    assertEquals("s.yaml: model.heads = 5 is not valid: it must divide hidden_size 64",
        error("name: t\nkind: teacher\ndatanets: [a]\nmodel: {hidden_size: 64, heads: 5}\n"));
    assertEquals("s.yaml: distill = ...: only kind: student is distilled", error(ADAPTER + "distill: {teacher: t}\n"));
    assertEquals("s.yaml: owner = 0x12: " + assertThrows(IllegalArgumentException.class, () -> ai.payable.core.identity.Address.parse("0x12")).getMessage(),
        error(ADAPTER + "owner: \"0x12\"\n"));
  }

  @Test
  void shippedSpecsAreValid() throws IOException {
    Path dir = Path.of("specs");
    int n = 0;
    try (DirectoryStream<Path> specs = Files.newDirectoryStream(dir, "*.yaml")) {
      for (Path p : specs) {
        TrainingSpec.read(p);
        n++;
      }
    }
    assertEquals(List.of(true), List.of(n >= 4), "specs in " + dir.toAbsolutePath() + ": " + n);
  }
}
