package ai.payable.attribution.combine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
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
public record ShareRule(Map<Method, Double> weights, int topK, double floor) {

  /** Gradient 0.5, span 0.3, retrieval 0.2; top 10; floor 1%. */
  public static final ShareRule DEFAULT = new ShareRule(Map.of(Method.GRADIENT, 0.5, Method.SPAN, 0.3, Method.RETRIEVAL, 0.2), 10, 0.01);

  public ShareRule {
    if (topK <= 0) {
      throw new IllegalArgumentException("top-k must be positive, not " + topK);
    }
    if (floor < 0 || floor >= 1) {
      throw new IllegalArgumentException("floor must be within [0, 1), not " + floor);
    }
    for (Map.Entry<Method, Double> w : weights.entrySet()) {
      if (!(w.getValue() >= 0)) {
        throw new IllegalArgumentException("weight of " + w.getKey().label() + " must be non-negative, not " + w.getValue());
      }
    }
    weights = Map.copyOf(weights);
  }

  /**
   * One record's final share of an answer.
   *
   * @param method the method that contributed most to it
   * @param score that method's raw score
   */
  public record Share(String recordId, double share, Method method, double score) {}

  /**
   * Combines {@code evidence} (method → record id → score; larger is more helpful).
   *
   * @return shares summing to 1, largest first; empty without helpful evidence
   */
  public List<Share> combine(Map<Method, Map<String, Double>> evidence) {
    Map<Method, Map<String, Double>> normalised = new EnumMap<>(Method.class);
    double weightSum = 0;
    for (Map.Entry<Method, Map<String, Double>> e : evidence.entrySet()) {
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
    Map<String, Method> dominant = new HashMap<>();
    Map<String, Double> dominantPart = new HashMap<>();
    for (Map.Entry<Method, Map<String, Double>> e : normalised.entrySet()) {
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
      Method m = dominant.get(e.getKey());
      out.add(new Share(e.getKey(), e.getValue() / total, m, evidence.get(m).get(e.getKey())));
    }
    out.sort(Comparator.comparingDouble(Share::share).reversed().thenComparing(Share::recordId));
    return out;
  }
}
