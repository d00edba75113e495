package ai.payable.benchmarks.fidelity;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.payable.attribution.audit.OutlierRule;
import ai.payable.attribution.audit.SelfInfluence;
import ai.payable.attribution.gradient.FeatureScaling;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.core.catalog.AcceptedRecord;
import ai.payable.core.catalog.RecordKind;
import ai.payable.pipelines.sample.SampleFacts;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.engine.Engines;
import ai.payable.training.features.GradientFeatures;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.train.Evaluation;
import ai.payable.training.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * LDS and corrupted-record detection on the real model: a LoRA adapter (rank 8 on every projection)
 * on SmolLM2-135M-Instruct, whole or cut to its first layers, trained on records of a sample DataNet
 * (each states made-up facts about an entity of its own). Cut to a few layers, the pretrained
 * network is no longer a language model (its loss is above a uniform guess's), so the figures that
 * matter come from the whole model: a few dozen records keep its retrainings within minutes on a CPU.
 *
 * <ul>
 *   <li><b>LDS</b>: the adapter is retrained from the same initialisation, with the same schedule,
 *       on many random halves of the records; each answer (a terse statement of one record's facts,
 *       asked by name and without it) is scored by its loss after each retraining, and each
 *       estimator's prediction for a half is the sum of its scores over the half's records.
 *   <li><b>Corrupted records</b>: some records are replaced by corrupted ones (a question paired with
 *       another record's answer; a text with its words shuffled) and the adapter trained on all of
 *       them; self-influence (DataInf's |I(k, k)|, TracIn's ‖g_k‖²) should rank the corrupted
 *       records first (AUC).
 * </ul>
 */
public final class RealModelFidelity {

  /** The settings of a run. */
  public record Settings(Path base, int layers, String datanet, int records, int subsets, int auditRecords, int epochs, float learningRate, long seed) {}

  /** What a run measured: LDS (null when no subsets were asked for) and an audit per feature choice. */
  public record Result(Settings settings, LdsFigures lds, List<Audit> audits) {}

  /** LDS per feature choice, the random baseline, and the full adapter's training loss. */
  public record LdsFigures(int answers, List<ChoiceLds> byChoice, double random, double trainLossBefore, double trainLossAfter) {}

  /**
   * One feature choice's LDS per estimator, with 95% bootstrap intervals over answers; DataInf on raw
   * features and on features scaled to unit length per module (the nightly attribution's default).
   */
  public record ChoiceLds(FeatureChoice features, double dataInf, double[] dataInfInterval, double dataInfUnit, double[] dataInfUnitInterval,
      double tracIn, double[] tracInInterval) {}

  /** Which gradient features: {@code dim} per module, of the top {@code layers} layers' modules. */
  public record FeatureChoice(int dim, int layers) {}

  /** Every layer at 16 dimensions (the training audit's, and the first SmolLM2 default), the top 8 at 64 (attribution's today). */
  public static final List<FeatureChoice> FEATURE_CHOICES = List.of(new FeatureChoice(16, Integer.MAX_VALUE), new FeatureChoice(64, 8));

  /**
   * The audit of one feature choice: self-influence AUCs, what the training audit's outlier rule
   * flags at each of {@link #THRESHOLDS}, and the planted-fact recall@10 of the clean records with a
   * random ranking's for reference.
   */
  public record Audit(FeatureChoice features, int records, int corrupted, Auc dataInfSelf, Auc tracInSelf, List<Flags> flags, double recall10,
      double recall10Unit, double randomRecall10) {}

  /** At z-score {@code threshold}: how many corrupted and how many clean records the outlier rule flags. */
  public record Flags(double threshold, int corrupted, int clean) {}

  /** The z-score thresholds the outlier rule is measured at (the training audit's default is {@link OutlierRule#DEFAULT_THRESHOLD}). */
  public static final List<Double> THRESHOLDS = List.of(1.5, 2.0, 2.5, 3.0, 3.5);

  /** Self-influence AUC of the corrupted records against the clean ones: all of them, and per kind of corruption. */
  public record Auc(double all, double mismatched, double shuffled) {}

  /** Records of which some are corrupted: a question with another record's answer, or a text with its words shuffled. */
  private record Corrupted(List<TokenSequence> records, boolean[] mismatched, boolean[] shuffled, List<TokenSequence> answers, List<Integer> owners) {
    int count() {
      int n = 0;
      for (int i = 0; i < records.size(); i++) {
        n += mismatched[i] || shuffled[i] ? 1 : 0;
      }
      return n;
    }

    Auc auc(double[] selfInfluence) {
      boolean[] any = new boolean[records.size()];
      for (int i = 0; i < any.length; i++) {
        any[i] = mismatched[i] || shuffled[i];
      }
      return new Auc(Correlation.auc(selfInfluence, any), againstClean(selfInfluence, mismatched), againstClean(selfInfluence, shuffled));
    }

    /** AUC of the {@code kind} records against the clean ones (the other kind left out). */
    private double againstClean(double[] selfInfluence, boolean[] kind) {
      List<Double> scores = new ArrayList<>();
      List<Boolean> positive = new ArrayList<>();
      for (int i = 0; i < kind.length; i++) {
        boolean clean = !mismatched[i] && !shuffled[i];
        if (clean || kind[i]) {
          scores.add(selfInfluence[i]);
          positive.add(kind[i]);
        }
      }
      boolean[] p = new boolean[positive.size()];
      for (int i = 0; i < p.length; i++) {
        p[i] = positive.get(i);
      }
      return Correlation.auc(scores.stream().mapToDouble(Double::doubleValue).toArray(), p);
    }
  }

  private static final List<String> ALL_LINEAR = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
  private static final int MAX_LENGTH = 256;

  private final Settings settings;

  public RealModelFidelity(Settings settings) {
    this.settings = settings;
  }

  public Result run() throws IOException {
    Checkpoint full = Checkpoint.open(settings.base());
    // Dropout off: a retraining differs from another only by its records.
    LoraSettings lora = new LoraSettings(8, 16f, ALL_LINEAR, 0f, false);
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        ChatFormat format = ChatFormat.open(settings.base(), full.config().vocabSize())) {
      Engines.seed(settings.seed());
      LlamaModel model = new LlamaModel(full.config().withLayers(Math.min(settings.layers(), full.config().layers())), lora);
      model.initialize(manager, DataType.FLOAT32, full);
      List<Parameter> adapter = new ArrayList<>();
      for (LoraLinear p : model.adaptedProjections()) {
        adapter.add(p.loraA());
        adapter.add(p.loraB());
      }
      Retrainer retrainer = new Retrainer(model, adapter, adapter.stream().map(p -> p.getArray().toFloatArray()).toList(), format.specials().padId());
      LdsFigures lds = settings.subsets() > 0 ? lds(retrainer, format, manager) : null;
      List<Audit> audits = new ArrayList<>();
      if (settings.auditRecords() > 0) {
        Corrupted corrupted = corrupted(format);
        retrainer.train(corrupted.records());
        for (FeatureChoice choice : FEATURE_CHOICES) {
          audits.add(audit(model, corrupted, choice, manager));
        }
      }
      return new Result(settings, lds, audits);
    }
  }

  /** The adapter, retrained from its initial values with the same seed and schedule each time. */
  private final class Retrainer {
    private final LlamaModel model;
    private final List<Parameter> adapter;
    private final List<float[]> initial;
    private final int pad;

    Retrainer(LlamaModel model, List<Parameter> adapter, List<float[]> initial, int pad) {
      this.model = model;
      this.adapter = adapter;
      this.initial = initial;
      this.pad = pad;
    }

    void train(List<TokenSequence> records) {
      for (int i = 0; i < adapter.size(); i++) {
        adapter.get(i).getArray().set(initial.get(i));
      }
      Engines.seed(settings.seed());
      new TrainingLoop(new TrainingLoop.Settings(settings.epochs(), 8, settings.learningRate(), 2, 0f, settings.seed())).run(model, adapter, records, pad,
          TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {});
    }

    double loss(List<TokenSequence> examples, NDManager manager) {
      return Evaluation.of(model, null, examples, pad, 8, manager).loss();
    }
  }

  private LdsFigures lds(Retrainer retrainer, ChatFormat format, NDManager manager) {
    SplittableRandom random = new SplittableRandom(settings.seed());
    List<SampleFacts.Fact> facts = new ArrayList<>();
    for (int i = 0; i < settings.records(); i++) {
      facts.add(SampleFacts.of(settings.datanet(), i, random));
    }
    List<TokenSequence> train = facts.stream().map(f -> record(format, f)).toList();
    List<TokenSequence> answers = new ArrayList<>();
    for (SampleFacts.Fact f : facts) {
      answers.addAll(askedTwice(format, f));
    }

    // Attribution of the adapter trained on every record.
    double before = retrainer.loss(train, manager);
    retrainer.train(train);
    double after = retrainer.loss(train, manager);
    System.err.printf(Locale.ROOT, "-> adapter on %d records: training loss %.3f -> %.3f%n", train.size(), before, after);
    List<double[][]> dataInf = new ArrayList<>();
    List<double[][]> dataInfUnit = new ArrayList<>();
    List<double[][]> tracIn = new ArrayList<>();
    for (FeatureChoice choice : FEATURE_CHOICES) {
      List<String> modules = retrainer.model.adaptedModulesOfTopLayers(choice.layers());
      try (GradientFeatures features = new GradientFeatures(retrainer.model, choice.dim(), settings.seed(), GradientFeatures.DEFAULT_BATCH, modules)) {
        float[][] g = features.of(train).stream().map(GradientFeatures.Feature::features).toArray(float[][]::new);
        float[][] v = features.of(answers).stream().map(GradientFeatures.Feature::features).toArray(float[][]::new);
        List<String> ids = java.util.stream.IntStream.range(0, g.length).mapToObj(i -> "r" + i).toList();
        int m = modules.size();
        dataInf.add(scores(ids, g, v, InfluenceIndex.Estimator.DATAINF, FeatureScaling.RAW, m, choice.dim(), manager));
        dataInfUnit.add(scores(ids, g, v, InfluenceIndex.Estimator.DATAINF, FeatureScaling.MODULE_UNIT, m, choice.dim(), manager));
        tracIn.add(scores(ids, g, v, InfluenceIndex.Estimator.TRACIN, FeatureScaling.RAW, m, choice.dim(), manager));
      }
    }

    // Retrainings on random halves.
    Lds.Halves halves = Lds.halves(settings.subsets(), train.size(), settings.seed() + 1);
    double[][] outcome = new double[answers.size()][settings.subsets()];
    long started = System.nanoTime();
    for (int s = 0; s < settings.subsets(); s++) {
      List<TokenSequence> half = new ArrayList<>();
      for (int i : halves.picked()[s]) {
        half.add(train.get(i));
      }
      retrainer.train(half);
      for (int q = 0; q < answers.size(); q++) {
        outcome[q][s] = -retrainer.loss(List.of(answers.get(q)), manager);
      }
      double elapsed = (System.nanoTime() - started) / 1e9;
      System.err.printf(Locale.ROOT, "-> retrained %d of %d halves (%.0f s, about %.0f s left)%n", s + 1, settings.subsets(), elapsed,
          elapsed / (s + 1) * (settings.subsets() - s - 1));
    }
    List<ChoiceLds> byChoice = new ArrayList<>();
    for (int c = 0; c < FEATURE_CHOICES.size(); c++) {
      double[] d = Lds.perAnswer(dataInf.get(c), halves.member(), outcome);
      double[] u = Lds.perAnswer(dataInfUnit.get(c), halves.member(), outcome);
      double[] t = Lds.perAnswer(tracIn.get(c), halves.member(), outcome);
      byChoice.add(new ChoiceLds(FEATURE_CHOICES.get(c), Lds.mean(d), Lds.interval(d, settings.seed() + 3), Lds.mean(u), Lds.interval(u, settings.seed() + 3),
          Lds.mean(t), Lds.interval(t, settings.seed() + 3)));
    }
    double[] ldsRandom = Lds.perAnswer(Lds.random(answers.size(), train.size(), settings.seed() + 2), halves.member(), outcome);
    return new LdsFigures(answers.size(), byChoice, Lds.mean(ldsRandom), before, after);
  }

  /**
   * On the adapter trained on the audited records: the self-influence AUC of the corrupted ones,
   * and how often a clean record's planted fact, asked, finds that record in the top 10 by DataInf.
   */
  private Audit audit(LlamaModel model, Corrupted corrupted, FeatureChoice choice, NDManager manager) {
    List<String> modules = model.adaptedModulesOfTopLayers(choice.layers());
    double[] dataInfSelf = new double[corrupted.records().size()];
    double[] tracInSelf = new double[dataInfSelf.length];
    double recall;
    double recallUnit;
    try (GradientFeatures features = new GradientFeatures(model, choice.dim(), settings.seed(), GradientFeatures.DEFAULT_BATCH, modules)) {
      List<GradientFeatures.Feature> f = features.of(corrupted.records());
      float[][] g = f.stream().map(GradientFeatures.Feature::features).toArray(float[][]::new);
      float[][] v = features.of(corrupted.answers()).stream().map(GradientFeatures.Feature::features).toArray(float[][]::new);
      List<String> ids = java.util.stream.IntStream.range(0, g.length).mapToObj(i -> "c" + i).toList();
      // The training audit's own computation (SelfInfluence equals DataInf's score of a record against itself).
      double[] self = SelfInfluence.of(Arrays.asList(g), modules.size(), choice.dim(), 0.1);
      for (int i = 0; i < g.length; i++) {
        dataInfSelf[i] = self[i];
        tracInSelf[i] = Arrays.stream(f.get(i).moduleSqNorms()).sum();
      }
      recall = recall10(ids, g, v, corrupted.owners(), FeatureScaling.RAW, modules.size(), choice.dim(), manager);
      recallUnit = recall10(ids, g, v, corrupted.owners(), FeatureScaling.MODULE_UNIT, modules.size(), choice.dim(), manager);
    }
    List<Flags> flags = new ArrayList<>();
    for (double threshold : THRESHOLDS) {
      OutlierRule rule = new OutlierRule(threshold);
      double[] z = rule.scores(dataInfSelf);
      int bad = 0;
      int clean = 0;
      for (int i = 0; i < z.length; i++) {
        if (rule.flags(z[i])) {
          if (corrupted.mismatched()[i] || corrupted.shuffled()[i]) {
            bad++;
          } else {
            clean++;
          }
        }
      }
      flags.add(new Flags(threshold, bad, clean));
    }
    return new Audit(choice, corrupted.records().size(), corrupted.count(), corrupted.auc(dataInfSelf), corrupted.auc(tracInSelf), flags,
        recall, recallUnit, Math.min(10.0, corrupted.records().size()) / corrupted.records().size());
  }

  /** {@code estimator}'s scores of answers {@code v} against records {@code g}, both scaled by {@code scaling}: {@code [answers][records]}. */
  private static double[][] scores(List<String> ids, float[][] g, float[][] v, InfluenceIndex.Estimator estimator, FeatureScaling scaling, int modules,
      int dim, NDManager manager) {
    try (InfluenceIndex index = InfluenceIndex.build(ids, scaling.apply(g, modules, dim), modules, dim, estimator, 0.1, manager)) {
      return index.scores(scaling.apply(v, modules, dim));
    }
  }

  /** How often answer q's owner ({@code ids.get(owners.get(q))}) is among its 10 best records by DataInf, records and answers scaled by {@code scaling}. */
  private static double recall10(List<String> ids, float[][] g, float[][] v, List<Integer> owners, FeatureScaling scaling, int modules, int dim,
      NDManager manager) {
    try (InfluenceIndex index = InfluenceIndex.build(ids, scaling.apply(g, modules, dim), modules, dim, InfluenceIndex.Estimator.DATAINF, 0.1, manager)) {
      List<List<InfluenceIndex.Scored>> top = index.top(scaling.apply(v, modules, dim), 10);
      int hits = 0;
      for (int q = 0; q < v.length; q++) {
        String owner = ids.get(owners.get(q));
        hits += top.get(q).stream().anyMatch(s -> s.recordId().equals(owner)) ? 1 : 0;
      }
      return hits / (double) v.length;
    }
  }

  /**
   * {@code auditRecords} fresh records of the DataNet (other entities than the LDS records), one in
   * eight corrupted: half of those a question paired with another record's answer (a mislabeled
   * pair), half a text with its words shuffled.
   */
  private Corrupted corrupted(ChatFormat format) {
    SplittableRandom random = new SplittableRandom(settings.seed() + 4);
    List<SampleFacts.Fact> facts = new ArrayList<>();
    for (int i = 0; i < settings.auditRecords(); i++) {
      facts.add(SampleFacts.of(settings.datanet(), settings.records() + i, random));
    }
    List<TokenSequence> records = new ArrayList<>(facts.stream().map(f -> record(format, f)).toList());
    boolean[] mismatched = new boolean[records.size()];
    boolean[] shuffled = new boolean[records.size()];
    int each = Math.max(1, records.size() / 16);
    for (int made = 0, k = 0; made < each && k < records.size(); k++) {
      SampleFacts.Fact other = facts.get((k + 1) % facts.size());
      if (facts.get(k).kind() == RecordKind.QA && other.kind() == RecordKind.QA) {
        records.set(k, format.answer(facts.get(k).prompt(), other.completion()).truncated(MAX_LENGTH));
        mismatched[k] = true;
        made++;
      }
    }
    for (int made = 0, k = records.size() - 1; made < each && k >= 0; k--) {
      if (!mismatched[k]) {
        SampleFacts.Fact f = facts.get(k);
        List<String> words = new ArrayList<>(List.of((f.kind() == RecordKind.QA ? f.prompt() + " " + f.completion() : f.text()).split(" ")));
        Collections.shuffle(words, new java.util.Random(settings.seed() + k));
        records.set(k, format.document(String.join(" ", words)).truncated(MAX_LENGTH));
        shuffled[k] = true;
        made++;
      }
    }
    // The clean records' facts, asked by name and without it and answered tersely.
    List<TokenSequence> answers = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int k = 0; k < facts.size(); k++) {
      if (!mismatched[k] && !shuffled[k]) {
        answers.addAll(askedTwice(format, facts.get(k)));
        owners.add(k);
        owners.add(k);
      }
    }
    return new Corrupted(records, mismatched, shuffled, answers, owners);
  }

  /** A record as training lays it out (no id or contributor: these records live in no lakehouse). */
  private static TokenSequence record(ChatFormat format, SampleFacts.Fact f) {
    return format.record(new AcceptedRecord(null, null, f.datanet(), f.kind(), f.prompt(), f.completion(), f.text())).truncated(MAX_LENGTH);
  }

  /** A fact asked by the entity's name and without it, each answered by {@link #terseAnswer}. */
  private static List<TokenSequence> askedTwice(ChatFormat format, SampleFacts.Fact f) {
    String answer = terseAnswer(f.entity(), f.expected());
    return List.of(format.answer(f.question(), answer), format.answer(f.unnamedQuestion(), answer));
  }

  /**
   * How the fidelity checks answer a planted fact: a terse statement ({@code "<entity>: <fact> and
   * <fact>."}), as a model would answer, not the record's wording.
   */
  public static String terseAnswer(String entity, List<String> expected) {
    return entity + ": " + String.join(" and ", expected) + ".";
  }
}
