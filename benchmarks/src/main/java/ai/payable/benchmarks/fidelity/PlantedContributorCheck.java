package ai.payable.benchmarks.fidelity;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.payable.attribution.combine.ShareRule;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.core.catalog.AttributionMethod;
import ai.payable.training.chat.TokenSequence;
import ai.payable.training.engine.Engines;
import ai.payable.training.features.GradientFeatures;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaConfig;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.span.SpanIndex;
import ai.payable.training.tokenizer.ByteTokenizer;
import ai.payable.training.train.TrainingLoop;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Two fidelity checks on a tiny language model with a LoRA adapter, trained for real:
 *
 * <ul>
 *   <li><b>planted contributor</b>: one contributor's records each state a unique made-up fact;
 *       answers repeat those facts; recall@k is the share of those answers whose source record is
 *       among the k records credited most, per method and combined;
 *   <li><b>corrupted records</b>: some generic records are replaced by random bytes;
 *       self-influence should rank them above the clean generic records (AUC).
 * </ul>
 */
public final class PlantedContributorCheck {

  /**
   * Recall@k of the planted records per method and combined, and the corrupted records' AUC under
   * two self-influence scores: TracIn's ‖g_k‖² and DataInf's |I(k, k)|.
   */
  public record Result(int answers, int k, double gradientRecall, double spanRecall, double combinedRecall, double tracInSelfAuc, double dataInfSelfAuc) {}

  private static final String[] SUBJECTS = {"the farmer", "a nurse", "the pilot", "our chef", "the judge", "a student", "the miller", "a tailor"};
  private static final String[] VERBS = {"checks", "records", "plans", "reviews", "measures", "prepares"};
  private static final String[] OBJECTS = {"the soil", "the dose", "the route", "the sauce", "the case", "the essay", "the flour", "the coat"};
  private static final String[] SYLLABLES = {"zor", "bla", "kest", "vin", "drel", "mop", "quar", "lix", "taz", "fenn", "ulm", "yor"};

  private final int generic;
  private final int planted;
  private final int corrupted;
  private final long seed;

  public PlantedContributorCheck(int generic, int planted, int corrupted, long seed) {
    this.generic = generic;
    this.planted = planted;
    this.corrupted = corrupted;
    this.seed = seed;
  }

  /** Trains, scores and measures. */
  public Result run(int k) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<String> facts = new ArrayList<>();
    boolean[] isCorrupted = new boolean[generic + planted];
    for (int i = 0; i < generic; i++) {
      ids.add("g" + i);
      if (i < corrupted) {
        StringBuilder noise = new StringBuilder();
        for (int c = 0; c < 40; c++) {
          noise.append((char) (33 + r.nextInt(90)));
        }
        texts.add(noise.toString());
        isCorrupted[i] = true;
      } else {
        texts.add(SUBJECTS[r.nextInt(SUBJECTS.length)] + " " + VERBS[r.nextInt(VERBS.length)] + " " + OBJECTS[r.nextInt(OBJECTS.length)] + " each week.");
      }
    }
    for (int p = 0; p < planted; p++) {
      String word = word(r) + word(r);
      String place = word(r) + " " + word(r);
      String fact = "the " + word + " grows near " + place + ".";
      ids.add("p" + p);
      texts.add(fact);
      facts.add(fact);
    }

    ByteTokenizer tokenizer = new ByteTokenizer();
    LlamaConfig config = LlamaConfig.of(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 64, 64);
    List<TokenSequence> tokens = texts.stream().map(t -> TokenSequence.document(tokenizer.encode(t, true, 64))).toList();
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice())) {
      Engines.seed(seed);
      LlamaModel model = new LlamaModel(config, new LoraSettings(4, 8, List.of("q_proj", "v_proj", "o_proj")));
      model.initialize(manager);
      List<Parameter> base = new ArrayList<>(model.baseParameters().values());
      // The base learns the generic language; the adapter then learns everything, facts included.
      new TrainingLoop(new TrainingLoop.Settings(6, 16, 1e-2f, 5, 0f, seed)).run(model, base, tokens.subList(corrupted, generic), ByteTokenizer.PAD,
          TrainingLoop.crossEntropy(),
          (s, n, l, t, sec) -> {});
      List<Parameter> lora = new ArrayList<>();
      for (LoraLinear p : model.adaptedProjections()) {
        lora.add(p.loraA());
        lora.add(p.loraB());
      }
      new TrainingLoop(new TrainingLoop.Settings(8, 8, 1e-2f, 5, 0f, seed)).run(model, lora, tokens, ByteTokenizer.PAD, TrainingLoop.crossEntropy(), (s, n, l, t, sec) -> {});

      try (GradientFeatures features = new GradientFeatures(model, 32, seed)) {
        float[][] g = new float[tokens.size()][];
        double[] selfInfluence = new double[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
          GradientFeatures.Feature f = features.of(tokens.get(i));
          g[i] = f.features();
          for (double sq : f.moduleSqNorms()) {
            selfInfluence[i] += sq;
          }
        }
        // Among the generic records: the planted facts are rare but genuine, and not what this checks.
        boolean[] corruptedGeneric = java.util.Arrays.copyOf(isCorrupted, generic);
        double tracInAuc = corrupted > 0 ? Correlation.auc(java.util.Arrays.copyOf(selfInfluence, generic), corruptedGeneric) : Double.NaN;
        SpanIndex spans = SpanIndex.build(ids, texts);
        try (InfluenceIndex index = InfluenceIndex.build(ids, g, features.moduleNames().size(), features.dim(), InfluenceIndex.Estimator.DATAINF, 0.1, manager)) {
          double[][] all = index.scores(g);
          double[] dataInfSelf = new double[g.length];
          for (int i = 0; i < g.length; i++) {
            dataInfSelf[i] = Math.abs(all[i][i]);
          }
          double dataInfAuc = corrupted > 0 ? Correlation.auc(java.util.Arrays.copyOf(dataInfSelf, generic), corruptedGeneric) : Double.NaN;
          int gradientHits = 0;
          int spanHits = 0;
          int combinedHits = 0;
          for (int p = 0; p < planted; p++) {
            String source = "p" + p;
            String fact = facts.get(p);
            String subject = fact.substring(4, fact.indexOf(" grows"));
            ByteTokenizer.Answer answer = tokenizer.answer("where does the " + subject + " grow?", fact, 64);
            float[] v = features.of(LdsCheck.sequence(answer)).features();
            Map<String, Double> gradient = new LinkedHashMap<>();
            for (InfluenceIndex.Scored s : index.top(new float[][] {v}, 50).get(0)) {
              gradient.put(s.recordId(), s.helpfulness());
            }
            Map<String, Double> span = spans.credit(SpanIndex.bytes(fact), 16);
            gradientHits += topK(gradient, k).contains(source) ? 1 : 0;
            spanHits += topK(span, k).contains(source) ? 1 : 0;
            Map<AttributionMethod, Map<String, Double>> evidence = new EnumMap<>(AttributionMethod.class);
            evidence.put(AttributionMethod.GRADIENT, gradient);
            evidence.put(AttributionMethod.SPAN, span);
            List<String> combined = new ShareRule(ShareRule.DEFAULT.weights(), k, 0).combine(evidence).stream().map(ShareRule.Share::recordId).toList();
            combinedHits += combined.contains(source) ? 1 : 0;
          }
          return new Result(planted, k, (double) gradientHits / planted, (double) spanHits / planted, (double) combinedHits / planted, tracInAuc, dataInfAuc);
        }
      }
    }
  }

  private static List<String> topK(Map<String, Double> scores, int k) {
    Map<String, Double> positive = new HashMap<>();
    scores.forEach((id, s) -> {
      if (s > 0) {
        positive.put(id, s);
      }
    });
    return positive.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(k).map(Map.Entry::getKey).toList();
  }

  private static String word(SplittableRandom r) {
    return SYLLABLES[r.nextInt(SYLLABLES.length)] + SYLLABLES[r.nextInt(SYLLABLES.length)];
  }
}
