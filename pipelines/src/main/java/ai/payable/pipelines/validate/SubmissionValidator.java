package ai.payable.pipelines.validate;

import ai.payable.core.catalog.QuarantineReason;
import ai.payable.core.catalog.RecordKind;
import ai.payable.core.crypto.Hex;
import ai.payable.core.identity.Address;
import ai.payable.core.submission.RecordContent;
import ai.payable.core.submission.RecordTypedData;
import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.landing.RawLine;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs every per-line check on one submission line and says, with all reasons that apply, whether
 * it may become a record. Duplicate checks need the whole batch and run later in Spark.
 */
public final class SubmissionValidator implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Fields of a submission line, exactly. */
  public static final Set<String> FIELDS =
      Set.of("datanet", "contributor", "license", "kind", "prompt", "completion", "text", "createdAt", "signature");

  private final Map<String, DataNetPolicy> datanets;

  public SubmissionValidator(Map<String, DataNetPolicy> datanets) {
    this.datanets = Map.copyOf(datanets);
  }

  /** Validates one raw line. */
  public ValidatedSubmission validate(RawLine line) {
    List<Finding> findings = new ArrayList<>();
    JsonNode json = JsonLines.readLine(line, FIELDS, findings);
    if (json == null) {
      return ValidatedSubmission.rejected(findings);
    }
    String datanet = JsonLines.requiredString(json, "datanet", findings);
    String contributorText = JsonLines.requiredString(json, "contributor", findings);
    String license = JsonLines.requiredString(json, "license", findings);
    String kind = JsonLines.requiredString(json, "kind", findings);
    String prompt = JsonLines.requiredString(json, "prompt", findings);
    String completion = JsonLines.requiredString(json, "completion", findings);
    String text = JsonLines.requiredString(json, "text", findings);
    String createdAtText = JsonLines.requiredString(json, "createdAt", findings);
    String signature = JsonLines.requiredString(json, "signature", findings);

    Address contributor = null;
    if (contributorText != null) {
      try {
        contributor = Address.parse(contributorText);
      } catch (IllegalArgumentException e) {
        findings.add(new Finding(QuarantineReason.BAD_ADDRESS, "field 'contributor': " + e.getMessage()));
      }
    }
    Instant createdAt = null;
    if (createdAtText != null) {
      try {
        createdAt = Instant.parse(createdAtText);
      } catch (DateTimeParseException e) {
        findings.add(new Finding(QuarantineReason.SCHEMA, "field 'createdAt' value " + Finding.quote(createdAtText) + " is not an ISO-8601 UTC instant like 2026-11-20T10:00:00Z"));
      }
    }
    if (kind != null) {
      checkKind(kind, prompt, completion, text, findings);
    }
    boolean complete =
        datanet != null && contributorText != null && license != null && kind != null
            && prompt != null && completion != null && text != null && createdAtText != null;
    String recordId = null;
    if (complete && contributor != null) {
      // The contributor signed the address exactly as written; hashing uses its 20 bytes.
      RecordContent content =
          new RecordContent(datanet, contributor.value(), license, kind, prompt, completion, text, createdAtText);
      byte[] digest = RecordTypedData.digest(content);
      recordId = Hex.encode(digest);
      if (signature != null) {
        Optional<Address> signer = RecordTypedData.recover(digest, signature);
        if (signer.isEmpty()) {
          findings.add(new Finding(QuarantineReason.BAD_SIGNATURE, "field 'signature' is not a valid 65-byte secp256k1 signature: " + Finding.quote(signature)));
        } else if (!signer.get().equals(contributor)) {
          findings.add(new Finding(QuarantineReason.BAD_SIGNATURE, "signature recovers to " + signer.get() + ", not to contributor " + contributor
              + ": a field was changed after signing (every field is signed, spaces and createdAt included), or another key signed it;"
              + " sign the line again with the contributor's key"));
        }
      }
    }

    DataNetPolicy policy = datanet == null ? null : datanets.get(datanet);
    if (datanet != null && policy == null) {
      findings.add(new Finding(QuarantineReason.UNKNOWN_DATANET, "datanet " + Finding.quote(datanet) + " is not registered (known: " + String.join(", ", new java.util.TreeSet<>(datanets.keySet())) + ")"));
    }
    ContentChecks.Result checks = null;
    if (policy != null && complete) {
      if (!policy.licenses().contains(license)) {
        findings.add(new Finding(QuarantineReason.LICENSE_NOT_ALLOWED, "license " + Finding.quote(license) + " is not allowed in " + datanet + " (allowed: " + String.join(", ", policy.licenses()) + ")"));
      }
      checks = ContentChecks.run(policy, prompt, completion, text, findings);
    }
    if (!findings.isEmpty()) {
      return new ValidatedSubmission(
          reasons(findings), detail(findings), datanet, contributor == null ? null : contributor.value(),
          recordId, null);
    }
    RecordContent signed =
        new RecordContent(datanet, contributor.value(), license, kind, prompt, completion, text, createdAtText);
    RecordContent stored =
        new RecordContent(datanet, contributor.value(), license, kind, checks.prompt(), checks.completion(), checks.text(), createdAtText);
    return new ValidatedSubmission(
        List.of(), null, datanet, contributor.value(), recordId,
        new ValidatedSubmission.Accepted(stored, signed, createdAt, signature, checks));
  }

  private static void checkKind(String kind, String prompt, String completion, String text, List<Finding> findings) {
    Optional<RecordKind> known = Arrays.stream(RecordKind.values()).filter(k -> k.value().equals(kind)).findFirst();
    if (known.isEmpty()) {
      findings.add(new Finding(QuarantineReason.SCHEMA, "field 'kind' value " + Finding.quote(kind) + " must be 'qa' or 'text'"));
      return;
    }
    switch (known.get()) {
      case QA -> {
        if (prompt != null && prompt.isBlank()) {
          findings.add(new Finding(QuarantineReason.SCHEMA, "kind 'qa' needs a non-empty 'prompt'"));
        }
        if (completion != null && completion.isBlank()) {
          findings.add(new Finding(QuarantineReason.SCHEMA, "kind 'qa' needs a non-empty 'completion'"));
        }
        if (text != null && !text.isEmpty()) {
          findings.add(new Finding(QuarantineReason.SCHEMA, "kind 'qa' must leave 'text' empty"));
        }
      }
      case TEXT -> {
        if (text != null && text.isBlank()) {
          findings.add(new Finding(QuarantineReason.SCHEMA, "kind 'text' needs a non-empty 'text'"));
        }
        if ((prompt != null && !prompt.isEmpty()) || (completion != null && !completion.isEmpty())) {
          findings.add(new Finding(QuarantineReason.SCHEMA, "kind 'text' must leave 'prompt' and 'completion' empty"));
        }
      }
    }
  }

  static List<String> reasons(List<Finding> findings) {
    Set<String> out = new LinkedHashSet<>();
    findings.forEach(f -> out.add(f.reason().name()));
    return List.copyOf(out);
  }

  static String detail(List<Finding> findings) {
    StringBuilder sb = new StringBuilder();
    for (Finding f : findings) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(f.reason().name()).append(": ").append(f.detail());
    }
    return sb.toString();
  }
}
