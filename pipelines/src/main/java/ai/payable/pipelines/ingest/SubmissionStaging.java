package ai.payable.pipelines.ingest;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import ai.payable.pipelines.landing.RawLine;
import ai.payable.pipelines.validate.ContentChecks;
import ai.payable.pipelines.validate.ContentFingerprint;
import ai.payable.pipelines.validate.SubmissionValidator;
import ai.payable.pipelines.validate.ValidatedSubmission;
import java.sql.Timestamp;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The staged form of a submission line: everything the per-line checks found, before the
 * batch-wide duplicate checks decide between {@code records} and {@code quarantine}.
 */
public final class SubmissionStaging {

  public static final StructType SCHEMA =
      LandingRead.lineColumns()
          .add("datanet", StringType, true)
          .add("contributor", StringType, true)
          .add("record_id", StringType, true)
          .add("license", StringType, true)
          .add("kind", StringType, true)
          .add("prompt", StringType, true)
          .add("completion", StringType, true)
          .add("text", StringType, true)
          .add("created_at", TimestampType, true)
          .add("language", StringType, true)
          .add("pii_redacted", BooleanType, true)
          .add("word_count", IntegerType, true)
          .add("mean_word_length", DoubleType, true)
          .add("symbol_ratio", DoubleType, true)
          .add("content_hash", StringType, true)
          .add("shingles", createArrayType(LongType, false), true)
          .add("signature", StringType, true);

  private SubmissionStaging() {}

  /** A stager that validates each line with {@code validator}. */
  public static LandingRead.LineStager stager(SubmissionValidator validator) {
    return (path, sha, arrival, line) -> toRow(path, sha, arrival, line, validator.validate(line));
  }

  static Row toRow(String path, String sha, long arrival, RawLine line, ValidatedSubmission v) {
    ValidatedSubmission.Accepted a = v.accepted();
    if (a == null) {
      return RowFactory.create(
          path, line.lineNo(), arrival, sha, LandingRead.keepRaw(line.text()), line.bytes(),
          line.text().length() > LandingRead.RAW_KEEP_CHARS, v.reasons().toArray(String[]::new),
          v.detail(), v.datanet(), v.contributor(), v.recordId(),
          null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
    ContentChecks.Result c = a.checks();
    var r = a.content();
    return RowFactory.create(
        path, line.lineNo(), arrival, sha, LandingRead.keepRaw(line.text()), line.bytes(),
        line.text().length() > LandingRead.RAW_KEEP_CHARS, new String[0], null,
        r.datanet(), r.contributor(), v.recordId(), r.license(), r.kind(), c.prompt(), c.completion(), c.text(),
        Timestamp.from(a.createdAt()), c.language(), c.piiRedacted(), c.words(),
        c.quality().meanWordLength(), c.quality().symbolRatio(),
        // Fingerprints use the signed content, so redaction cannot hide a copy.
        ContentFingerprint.contentHash(r.kind(), a.originalPrompt(), a.originalCompletion(), a.originalText()),
        ContentFingerprint.shingles(ContentChecks.trainingText(a.originalPrompt(), a.originalCompletion(), a.originalText())),
        a.signature());
  }
}
