package ai.payable.pipelines.datanet;

import ai.payable.core.catalog.PiiPolicy;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A DataNet and the rules its records must pass. Quality thresholds follow the Gopher rules
 * (Rae et al. 2021) with their published defaults; a DataNet may tighten or relax each.
 *
 * @param id DataNet id, as submissions name it
 * @param domain free-form domain label (medicine, law, ...)
 * @param licenses SPDX ids a record may carry
 * @param languages ISO 639-1 codes a record may be written in
 * @param pii {@link PiiPolicy#REJECT} quarantines a record with PII; {@link PiiPolicy#REDACT}
 *     masks it and keeps the record, flagged
 * @param minWords fewer words than this is {@code TOO_SHORT}
 * @param maxChars more characters than this is {@code TOO_LONG}
 * @param nearDuplicateSimilarity rarity-weighted containment of word 2-gram shingles (see
 *     {@code DuplicateDetector}) at or above which a later record is a near duplicate of an earlier
 *     one
 * @param quality the threshold of every {@link QualityRule}
 */
public record DataNetPolicy(
    String id,
    String domain,
    List<String> licenses,
    List<String> languages,
    PiiPolicy pii,
    int minWords,
    int maxChars,
    double nearDuplicateSimilarity,
    Map<QualityRule, Double> quality)
    implements Serializable {

  public DataNetPolicy {
    EnumMap<QualityRule, Double> all = new EnumMap<>(QualityRule.class);
    for (QualityRule rule : QualityRule.values()) {
      all.put(rule, quality.getOrDefault(rule, rule.defaultThreshold()));
    }
    quality = Collections.unmodifiableMap(all);
  }

  /** The threshold of {@code rule} in this DataNet. */
  public double threshold(QualityRule rule) {
    return quality.get(rule);
  }

  /** The defaults a DataNet declaration may leave out. */
  public static final List<String> DEFAULT_LICENSES = List.of("CC-BY-4.0", "CC0-1.0");

  public static final List<String> DEFAULT_LANGUAGES = List.of("en");
  public static final int DEFAULT_MIN_WORDS = 20;
  public static final int DEFAULT_MAX_CHARS = 20_000;
  public static final double DEFAULT_NEAR_DUPLICATE_SIMILARITY = 0.75;
}
