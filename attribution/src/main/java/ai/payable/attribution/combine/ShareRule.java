package ai.payable.attribution.combine;

import ai.payable.core.catalog.AttributionMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one answer's evidence becomes its distribution over records:
 *
 * <ol>
 *   <li>each method keeps only helpful evidence (scores &gt; 0; for gradients, helpfulness is the
 *       negated influence on the answer's loss);
 *   <li>each method's helpful scores are normalised to sum to 1;
 *   <li>methods are mixed by their weights, renormalised over the methods that have evidence;
 *   <li>the {@code topK} largest shares are kept (ties by record id), shares under {@code floor}
 *       are dropped, and the rest renormalised to sum to 1.
 * </ol>
 *
 * An answer without any helpful evidence gets an empty distribution, and the job sends its data
 * share to the fallback (pro rata over the adapter's training records).
 *
 * @param weights each method's weight in the mix
 * @param topK most records credited per answer
 * @param floor smallest share kept, after the top-k cut
 */
public record ShareRule(Map<AttributionMethod, Double> weights, int topK, double floor) {

  /**
   * The default method weights, as {@link #parseWeights} reads them. Span matching weighs as much as
   * gradient influence: on SmolLM2 adapters a planted fact's record is in the span top 10 as often
   * as in the gradient top 10 (0.83 and about 0.79), and span evidence alone pays the fact's owner twice
   * the share gradient evidence alone does (0.74 and 0.35; benchmarks/RESULTS.md, "Planted facts on
   * the real model").
   */
  public static final String DEFAULT_WEIGHTS = "gradient=0.4,span=0.4,retrieval=0.2";

  /** {@link #DEFAULT_WEIGHTS}; top 10; floor 1%. */
  public static final ShareRule DEFAULT = new ShareRule(parseWeights(DEFAULT_WEIGHTS), 10, 0.01);

  public ShareRule {
    if (topK <= 0) {
      throw new IllegalArgumentException("top-k must be positive, not " + topK);
    }
    if (floor < 0 || floor >= 1) {
      throw new IllegalArgumentException("floor must be within [0, 1), not " + floor);
    }
    for (Map.Entry<AttributionMethod, Double> w : weights.entrySet()) {
      if (!(w.getValue() >= 0)) {
        throw new IllegalArgumentException("weight of " + w.getKey().value() + " must be non-negative, not " + w.getValue());
      }
    }
    weights = Map.copyOf(weights);
  }

  /**
   * Reads method weights written as {@code gradient=0.4,span=0.4,retrieval=0.2}; a method not named
   * weighs 0.
   *
   * @throws IllegalArgumentException naming the pair that is not {@code METHOD=NUMBER} or names no
   *     weighable method
   */
  public static Map<AttributionMethod, Double> parseWeights(String spec) {
    Map<AttributionMethod, Double> weights = new EnumMap<>(AttributionMethod.class);
    for (String pair : spec.split(",")) {
      String[] kv = pair.split("=", 2);
      AttributionMethod method = Arrays.stream(AttributionMethod.values()).filter(m -> m != AttributionMethod.FALLBACK && m.value().equals(kv[0].strip().toLowerCase(Locale.ROOT)))
          .findFirst().orElseThrow(() -> new IllegalArgumentException("weights '" + spec + "': '" + kv[0].strip()
              + "' is not a method; weigh gradient, span or retrieval, as in " + DEFAULT_WEIGHTS));
      try {
        weights.put(method, Double.parseDouble(kv[1].strip()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("weights '" + spec + "': '" + pair.strip() + "' is not METHOD=NUMBER, as in " + DEFAULT_WEIGHTS);
      }
    }
    return weights;
  }

  /**
   * One record's final share of an answer.
   *
   * @param method the method that contributed most to it
   * @param score that method's raw score
   */
  public record Share(String recordId, double share, AttributionMethod method, double score) {}

  /**
   * Combines {@code evidence} (method → record id → score; larger is more helpful).
   *
   * @return shares summing to 1, largest first; empty without helpful evidence
   */
  public List<Share> combine(Map<AttributionMethod, Map<String, Double>> evidence) {
    Map<AttributionMethod, Map<String, Double>> normalised = new EnumMap<>(AttributionMethod.class);
    double weightSum = 0;
    for (Map.Entry<AttributionMethod, Map<String, Double>> e : evidence.entrySet()) {
      double w = weights.getOrDefault(e.getKey(), 0.0);
      double sum = e.getValue().values().stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).sum();
      if (w <= 0 || !(sum > 0)) {
        continue;
      }
      Map<String, Double> p = new HashMap<>();
      e.getValue().forEach((record, score) -> {
        if (score > 0) {
          p.put(record, score / sum);
        }
      });
      normalised.put(e.getKey(), p);
      weightSum += w;
    }
    if (normalised.isEmpty()) {
      return List.of();
    }
    Map<String, Double> mixed = new HashMap<>();
    Map<String, AttributionMethod> dominant = new HashMap<>();
    Map<String, Double> dominantPart = new HashMap<>();
    for (Map.Entry<AttributionMethod, Map<String, Double>> e : normalised.entrySet()) {
      double w = weights.get(e.getKey()) / weightSum;
      for (Map.Entry<String, Double> r : e.getValue().entrySet()) {
        double part = w * r.getValue();
        mixed.merge(r.getKey(), part, Double::sum);
        if (part > dominantPart.getOrDefault(r.getKey(), -1.0)) {
          dominantPart.put(r.getKey(), part);
          dominant.put(r.getKey(), e.getKey());
        }
      }
    }
    List<Map.Entry<String, Double>> ranked = new ArrayList<>(mixed.entrySet());
    ranked.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    List<Map.Entry<String, Double>> kept = ranked.subList(0, Math.min(topK, ranked.size()));
    double keptSum = kept.stream().mapToDouble(Map.Entry::getValue).sum();
    List<Map.Entry<String, Double>> aboveFloor = kept.stream().filter(e -> e.getValue() / keptSum >= floor).toList();
    if (aboveFloor.isEmpty()) {
      aboveFloor = kept.subList(0, 1);
    }
    double total = aboveFloor.stream().mapToDouble(Map.Entry::getValue).sum();
    List<Share> out = new ArrayList<>();
    for (Map.Entry<String, Double> e : aboveFloor) {
      AttributionMethod m = dominant.get(e.getKey());
      out.add(new Share(e.getKey(), e.getValue() / total, m, evidence.get(m).get(e.getKey())));
    }
    out.sort(Comparator.comparingDouble(Share::share).reversed().thenComparing(Share::recordId));
    return out;
  }
}
