package ai.payable.governance.anomaly;

import java.util.List;

/**
 * Something governance should look at before accepting a root, with the evidence behind it.
 *
 * @param kind which check raised it
 * @param subject the account, record or reason concerned
 * @param summary one sentence saying what is unusual
 * @param evidence the figures behind it, one per line
 */
public record Anomaly(Kind kind, String subject, String summary, List<String> evidence) {

  /** The checks. */
  public enum Kind {
    SHARE_JUMP("Share jump"),
    RECORD_CONCENTRATION("Rewards concentrated in one record"),
    NEAR_DUPLICATES("Near-duplicate cluster"),
    NO_EVIDENCE("Answers with no positive evidence"),
    QUARANTINE_SPIKE("Quarantine spike");

    private final String title;

    Kind(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }
}
