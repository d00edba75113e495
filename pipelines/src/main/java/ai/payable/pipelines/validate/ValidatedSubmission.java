package ai.payable.pipelines.validate;

import ai.payable.core.submission.RecordContent;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of the per-line checks of one submission line.
 *
 * @param reasons reason codes, empty when the line passed every per-line check
 * @param detail human-readable findings, null when it passed
 * @param datanet the DataNet named by the line, when readable
 * @param contributor the contributor address, when valid
 * @param recordId the EIP-712 digest of the signed content, when computable
 * @param accepted what the record will store, when it passed
 */
public record ValidatedSubmission(
    List<String> reasons,
    String detail,
    String datanet,
    String contributor,
    String recordId,
    Accepted accepted)
    implements Serializable {

  /**
   * A line that passed: the content as stored (redacted if the DataNet redacts), the content as
   * signed, and what the checks measured.
   */
  public record Accepted(
      RecordContent content, RecordContent signed, Instant createdAt, String signature, ContentChecks.Result checks)
      implements Serializable {

    public String originalPrompt() {
      return signed.prompt();
    }

    public String originalCompletion() {
      return signed.completion();
    }

    public String originalText() {
      return signed.text();
    }
  }

  static ValidatedSubmission rejected(List<Finding> findings) {
    return new ValidatedSubmission(
        SubmissionValidator.reasons(findings), SubmissionValidator.detail(findings), null, null, null, null);
  }
}
