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

  /** The checks: what each flags, and what a reviewer does when it fires. */
  public enum Kind {
    SHARE_JUMP("Share jump", "a contributor whose share of the data rewards grew sharply since the previous epoch",
        "Open the contributor's records and answers under Top contributors. New records that answered many questions explain a jump; "
            + "records that match many prompts without answering them do not. If nothing explains it, revoke the root before the timelock ends "
            + "and look into the contributor's records."),
    RECORD_CONCENTRATION("Rewards concentrated in one record", "a single record earning a large part of the data rewards",
        "Read the record and the answers that credited it. One excellent record can earn a lot; a record stuffed with popular keywords earns "
            + "by being retrieved, not by answering. Revoke the root if it games retrieval."),
    NEAR_DUPLICATES("Near-duplicate cluster", "quarantined copies (known when the report is made) of a record that earned this epoch",
        "The copies were quarantined and earn nothing, so the root is not affected. Check that the original's contributor is its real author "
            + "(the earliest submission wins); copies from several accounts suggest farming: report those accounts to the DataNet's curators."),
    NO_EVIDENCE("Answers with no positive evidence", "answers paid by the fallback rule because no record had positive evidence",
        "These answers paid their model's training records' contributors pro rata (a bare base's went to the treasury). Many of them mean "
            + "retrieval or attribution is failing for a model: check its index and gradient features before accepting."),
    QUARANTINE_SPIKE("Quarantine spike", "a quarantine reason far above its recent daily mean",
        "Quarantined lines are not paid, so the root is not affected. A spike of one reason usually means a broken client (BAD_SIGNATURE, "
            + "SCHEMA) or an attack (DUPLICATE, NEAR_DUPLICATE): tell the DataNet's contributors, or look at who sent the lines.");

    private final String title;
    private final String flags;
    private final String whatToDo;

    Kind(String title, String flags, String whatToDo) {
      this.title = title;
      this.flags = flags;
      this.whatToDo = whatToDo;
    }

    public String title() {
      return title;
    }

    /** What the check looks for, in a few words. */
    public String flags() {
      return flags;
    }

    /** What a reviewer does when the check fires. */
    public String whatToDo() {
      return whatToDo;
    }
  }
}
