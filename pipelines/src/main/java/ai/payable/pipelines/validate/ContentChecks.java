package ai.payable.pipelines.validate;

import ai.payable.core.catalog.PiiPolicy;
import ai.payable.core.catalog.QuarantineReason;
import ai.payable.pipelines.datanet.DataNetPolicy;
import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The content rules of a DataNet: length, language, personal data and quality. Applied to the text
 * a model would train on (prompt and completion, or text).
 */
public final class ContentChecks {

  private ContentChecks() {}

  /**
   * What the checks measured, and the fields as they will be stored (redacted when the DataNet
   * redacts personal data).
   */
  public record Result(
      String prompt, String completion, String text, boolean piiRedacted, String language, int words, QualityMetrics quality)
      implements Serializable {}

  /** Runs every content rule of {@code policy}, adding a finding for each that fails. */
  public static Result run(DataNetPolicy policy, String prompt, String completion, String text, List<Finding> findings) {
    String body = trainingText(prompt, completion, text);
    if (body.length() > policy.maxChars()) {
      findings.add(new Finding(QuarantineReason.TOO_LONG, body.length() + " characters, more than max_chars " + policy.maxChars()));
    }
    int words = QualityMetrics.of(body).words();
    if (words < policy.minWords()) {
      findings.add(new Finding(QuarantineReason.TOO_SHORT, words + " words, fewer than min_words " + policy.minWords()));
    }
    // Gopher's rules judge one document: the answer of a Q&A record, not the answer with its
    // question, which it naturally restates ("a limitation of liability clause" in both).
    QualityMetrics quality = QualityMetrics.of(text.isEmpty() ? completion : text);
    String language = LanguageIdentifier.UNDETERMINED;
    if (body.length() <= policy.maxChars()) {
      language = LanguageIdentifier.identify(body);
      if (!policy.languages().contains(language)) {
        findings.add(new Finding(QuarantineReason.LANGUAGE, "language identified as '" + language + "', allowed: " + String.join(", ", policy.languages())));
      }
      List<String> failures = quality.failures(policy);
      if (!failures.isEmpty()) {
        findings.add(new Finding(QuarantineReason.LOW_QUALITY, String.join(", ", failures)));
      }
    }
    List<PiiScanner.Match> pp = PiiScanner.scan(prompt);
    List<PiiScanner.Match> pc = PiiScanner.scan(completion);
    List<PiiScanner.Match> pt = PiiScanner.scan(text);
    boolean hasPii = !pp.isEmpty() || !pc.isEmpty() || !pt.isEmpty();
    if (hasPii && policy.pii() == PiiPolicy.REJECT) {
      String kinds =
          java.util.stream.Stream.of(pp, pc, pt)
              .flatMap(List::stream)
              .map(m -> m.kind().name())
              .distinct()
              .collect(Collectors.joining(", "));
      findings.add(new Finding(QuarantineReason.PII, "contains personal data: " + kinds));
    }
    boolean redact = hasPii && policy.pii() == PiiPolicy.REDACT;
    return new Result(
        redact ? PiiScanner.redact(prompt, pp) : prompt,
        redact ? PiiScanner.redact(completion, pc) : completion,
        redact ? PiiScanner.redact(text, pt) : text,
        redact,
        language,
        words,
        quality);
  }

  /** The text a model trains on: prompt and completion for Q&A, the text otherwise. */
  public static String trainingText(String prompt, String completion, String text) {
    return text.isEmpty() ? prompt + "\n" + completion : text;
  }
}
