package ai.payable.training.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.training.lora.LoraSettings;
import ai.payable.training.train.Losses;
import java.io.IOException;
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
    assertEquals(new TrainingSpec.Features(32, 11, 0), s.features(), "features of every layer by default");
    assertEquals(new TrainingSpec.Features(64, 11, 8), TrainingSpec.parse(ADAPTER + "features: {projection_dim: 64, layers: 8}\n", "s.yaml").features());
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
    assertEquals("s.yaml: epochs = \"three\": must be a whole number", error(ADAPTER + "epochs: three\n"));
    assertEquals("s.yaml: unknown key 'lora.rnk'; allowed: [alpha, dropout, rank, rslora, targets]", error(ADAPTER.replace("rank: 8", "rnk: 8")));
    assertEquals("s.yaml: lora.rank = 8.5: must be a whole number", error(ADAPTER.replace("rank: 8", "rank: 8.5")));
    assertEquals("s.yaml: heldout_fraction = \"0.1\": must be a number", error(ADAPTER + "heldout_fraction: \"0.1\"\n"));
    assertEquals(List.of("q_proj"), TrainingSpec.parse(ADAPTER.replace("[q_proj, v_proj]", "q_proj"), "s.yaml").lora().targets(), "one target needs no list");
    assertEquals("s.yaml: features.layers = -1: must be ≥ 0 (0: every layer)", error(ADAPTER + "features: {layers: -1}\n"));
    assertEquals("s.yaml: device = tpu: must be cpu or gpu", error(ADAPTER + "device: tpu\n"));
    assertEquals("s.yaml: datanets = []: name at least one DataNet, or give a filter (a SQL condition over records)",
        error(ADAPTER.replace("datanets: [dermatology]\n", "")));
    assertEquals("s.yaml: model.heads = 5 is not valid: it must divide hidden_size 64",
        error("name: t\nkind: teacher\ndatanets: [a]\nmodel: {hidden_size: 64, heads: 5}\n"));
    assertEquals("s.yaml: distill = ...: only kind: student is distilled", error(ADAPTER + "distill: {teacher: t}\n"));
    String derived = "name: s\nkind: student\ndatanets: [a]\n";
    assertEquals("s.yaml: init = ...: a derived student takes its layers from its teacher: give distill: {teacher: …}",
        error(derived + "init: {keep_every: 2}\n"));
    assertEquals("s.yaml: init = {\"keep_every\":2,\"keep_layers\":[0]}: give either keep_every: N (every N-th layer from the first) or keep_layers: [i, j, …]",
        error(derived + "init: {keep_every: 2, keep_layers: [0]}\ndistill: {teacher: t}\n"));
    assertEquals("s.yaml: init.keep_layers names layer 30 but the teacher has layers 0..29", assertThrows(IllegalArgumentException.class,
        () -> TrainingSpec.parse(derived + "init: {keep_layers: [0, 30]}\ndistill: {teacher: t}\n", "s.yaml").keepLayers().resolve(30, "s.yaml")).getMessage());
    assertEquals("s.yaml: lora.dropout must be within [0, 1), not 1.5", error(ADAPTER.replace("targets: [q_proj, v_proj]", "targets: [q_proj], dropout: 1.5")));
    assertEquals("s.yaml: lora.rslora = \"yes\": must be true or false", error(ADAPTER.replace("targets: [q_proj, v_proj]", "targets: [q_proj], rslora: \"yes\"")));
    assertEquals("s.yaml: owner = 0x12: " + assertThrows(IllegalArgumentException.class, () -> ai.payable.core.identity.Address.parse("0x12")).getMessage(),
        error(ADAPTER + "owner: \"0x12\"\n"));
  }

  @Test
  void shippedSpecsAreValid() throws IOException {
    Path dir = Path.of("specs");
    List<Path> specs;
    try (var files = Files.walk(dir)) {
      specs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path p : specs) {
      TrainingSpec.read(p);
    }
    assertTrue(specs.size() >= 7, "specs in " + dir.toAbsolutePath() + ": " + specs);
    TrainingSpec student = TrainingSpec.read(dir.resolve("smollm2/student.yaml"));
    assertArrayEquals(new int[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28}, student.keepLayers().resolve(30, "student.yaml"));
    assertEquals(LoraSettings.PROJECTIONS, TrainingSpec.read(dir.resolve("smollm2/adapter-agronomy.yaml")).lora().targets());
  }
}
