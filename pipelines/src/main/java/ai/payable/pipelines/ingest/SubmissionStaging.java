package ai.payable.pipelines.ingest;

import ai.payable.core.catalog.Tables;
import ai.payable.pipelines.landing.RawLine;
import ai.payable.pipelines.validate.ContentChecks;
import ai.payable.pipelines.validate.ContentFingerprint;
import ai.payable.pipelines.validate.SubmissionValidator;
import ai.payable.pipelines.validate.ValidatedSubmission;
import java.sql.Timestamp;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The staged form of a submission line: everything the per-line checks found, before the
 * batch-wide duplicate checks decide between {@code records} and {@code quarantine}.
 */
public final class SubmissionStaging {

  /** The line columns, then every column of {@code records} but its ingest lineage, nullable. */
  public static final StructType SCHEMA = LandingRead.withLineColumns(Tables.RECORDS.nullableColumnsExcept(Tables.INGEST_LINEAGE));

  private SubmissionStaging() {}

  /** A stager that validates each line with {@code validator}. */
  public static LandingRead.LineStager stager(SubmissionValidator validator) {
    return (path, sha, arrival, line) -> toRow(path, sha, arrival, line, validator.validate(line));
  }

  static Row toRow(String path, String sha, long arrival, RawLine line, ValidatedSubmission v) {
    StagedRow row = LandingRead.lineRow(SCHEMA, path, sha, arrival, line, v.reasons(), v.detail())
        .set("datanet", v.datanet()).set("contributor", v.contributor()).set("record_id", v.recordId());
    ValidatedSubmission.Accepted a = v.accepted();
    if (a == null) {
      return row.toRow();
    }
    ContentChecks.Result c = a.checks();
    var r = a.content();
    return row.set("datanet", r.datanet()).set("contributor", r.contributor()).set("license", r.license()).set("kind", r.kind())
        .set("prompt", c.prompt()).set("completion", c.completion()).set("text", c.text()).set("created_at", Timestamp.from(a.createdAt()))
        .set("language", c.language()).set("pii_redacted", c.piiRedacted()).set("word_count", c.words())
        .set("mean_word_length", c.quality().meanWordLength()).set("symbol_ratio", c.quality().symbolRatio())
        // Fingerprints use the signed content, so redaction cannot hide a copy.
        .set("content_hash", ContentFingerprint.contentHash(r.kind(), a.originalPrompt(), a.originalCompletion(), a.originalText()))
        .set("shingles", ContentFingerprint.shingles(ContentChecks.trainingText(a.originalPrompt(), a.originalCompletion(), a.originalText())))
        .set("signature", a.signature())
        .toRow();
  }
}
