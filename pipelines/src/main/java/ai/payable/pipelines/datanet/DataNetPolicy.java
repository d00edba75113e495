package ai.payable.pipelines.datanet;

import java.io.Serializable;
import java.util.List;

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
 * @param minMeanWordLength Gopher: mean word length lower bound
 * @param maxMeanWordLength Gopher: mean word length upper bound
 * @param maxSymbolRatio Gopher: ('#' and '...') per word
 * @param maxBulletLineRatio Gopher: share of lines starting with a bullet
 * @param maxDuplicateLineFraction Gopher: share of lines that repeat an earlier line
 * @param maxTopNgramFraction Gopher: share of characters in the most frequent word 2-gram
 * @param minAlphaWordFraction Gopher: share of words with at least one letter
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
    double minMeanWordLength,
    double maxMeanWordLength,
    double maxSymbolRatio,
    double maxBulletLineRatio,
    double maxDuplicateLineFraction,
    double maxTopNgramFraction,
    double minAlphaWordFraction)
    implements Serializable {

  /** What happens to a record that contains personal data. */
  public enum PiiPolicy {
    REJECT,
    REDACT
  }

  /** The defaults a DataNet declaration may leave out. */
  public static final List<String> DEFAULT_LICENSES = List.of("CC-BY-4.0", "CC0-1.0");

  public static final List<String> DEFAULT_LANGUAGES = List.of("en");
  public static final int DEFAULT_MIN_WORDS = 20;
  public static final int DEFAULT_MAX_CHARS = 20_000;
  public static final double DEFAULT_NEAR_DUPLICATE_SIMILARITY = 0.8;
}
