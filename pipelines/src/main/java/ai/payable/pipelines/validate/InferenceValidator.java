package ai.payable.pipelines.validate;

import ai.payable.core.crypto.Hex;
import ai.payable.core.money.Wei;
import ai.payable.pipelines.landing.RawLine;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Per-line checks of an inference log line:
 * {@code {"inference_id","ts","model_id","adapter_id","prompt","output","prompt_tokens","output_tokens","fee_wei",
 * "retrieved":[{"record_id","score"}],"requester"}}; the token counts are optional.
 * The fee must be a string of a non-negative integer (JSON numbers lose precision above 2⁵³).
 */
public final class InferenceValidator implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final Set<String> FIELDS =
      Set.of("inference_id", "ts", "model_id", "adapter_id", "prompt", "output", "prompt_tokens", "output_tokens", "fee_wei", "retrieved",
          "requester");

  private final Set<String> knownModels;

  /** @param knownModels model ids of the registry; empty when the registry has none yet */
  public InferenceValidator(Optional<Set<String>> knownModels) {
    this.knownModels = knownModels.map(Set::copyOf).orElse(null);
  }

  /** A retrieved record and its retrieval score. */
  public record Retrieved(String recordId, double score) implements Serializable {}

  /** A valid inference. */
  public record Inference(
      String inferenceId, Instant ts, String modelId, String adapterId, String prompt, String output, Integer promptTokens,
      Integer outputTokens, Wei fee,
      List<Retrieved> retrieved, String requester) implements Serializable {}

  /** The outcome: reasons (empty when valid), the detail, the parsed inference when valid. */
  public record Result(List<String> reasons, String detail, String inferenceId, String modelId, String requester, Inference inference)
      implements Serializable {}

  /** Validates one raw line. */
  public Result validate(RawLine line) {
    List<Finding> findings = new ArrayList<>();
    JsonNode json = JsonLines.readLine(line, FIELDS, findings);
    if (json == null) {
      return rejected(findings, null, null, null);
    }
    String id = JsonLines.requiredString(json, "inference_id", findings);
    String tsText = JsonLines.requiredString(json, "ts", findings);
    String modelId = JsonLines.requiredString(json, "model_id", findings);
    String prompt = JsonLines.requiredString(json, "prompt", findings);
    String output = JsonLines.requiredString(json, "output", findings);
    String adapterId = optionalString(json, "adapter_id", findings);
    String requester = optionalString(json, "requester", findings);
    Integer promptTokens = optionalCount(json, "prompt_tokens", findings);
    Integer outputTokens = optionalCount(json, "output_tokens", findings);
    if (id != null && (id.isBlank() || id.length() > 128)) {
      findings.add(new Finding(Reason.SCHEMA, "field 'inference_id' must be 1-128 characters, got " + Finding.quote(id)));
    }
    if (modelId != null && modelId.isBlank()) {
      findings.add(new Finding(Reason.SCHEMA, "field 'model_id' is empty"));
    }
    Instant ts = null;
    if (tsText != null) {
      try {
        ts = Instant.parse(tsText);
      } catch (DateTimeParseException e) {
        findings.add(new Finding(Reason.SCHEMA, "field 'ts' value " + Finding.quote(tsText) + " is not an ISO-8601 UTC instant"));
      }
    }
    Wei fee = null;
    JsonNode feeNode = json.get("fee_wei");
    if (feeNode == null) {
      findings.add(new Finding(Reason.SCHEMA, "missing field 'fee_wei'"));
    } else if (!feeNode.isTextual()) {
      findings.add(new Finding(Reason.BAD_FEE, "field 'fee_wei' must be a string of integer wei (e.g. \"1500000000000000\"), got " + feeNode.getNodeType().name().toLowerCase()));
    } else {
      try {
        fee = Wei.parse(feeNode.textValue());
      } catch (IllegalArgumentException e) {
        findings.add(new Finding(Reason.BAD_FEE, "field 'fee_wei': " + e.getMessage()));
      }
    }
    List<Retrieved> retrieved = retrieved(json.get("retrieved"), findings);
    if (modelId != null && knownModels != null && !knownModels.contains(modelId)) {
      findings.add(new Finding(Reason.UNKNOWN_MODEL, "model " + Finding.quote(modelId) + " is not in the model registry"));
    }
    if (!findings.isEmpty()) {
      return rejected(findings, id, modelId, requester);
    }
    return new Result(List.of(), null, id, modelId, requester,
        new Inference(id, ts, modelId, adapterId, prompt, output, promptTokens, outputTokens, fee, retrieved, requester));
  }

  private static List<Retrieved> retrieved(JsonNode node, List<Finding> findings) {
    List<Retrieved> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      findings.add(new Finding(Reason.SCHEMA, "field 'retrieved' must be a list of {record_id, score}"));
      return out;
    }
    int i = 0;
    for (JsonNode item : node) {
      JsonNode rid = item.get("record_id");
      JsonNode score = item.get("score");
      if (rid == null || !rid.isTextual() || !Hex.isHex(rid.textValue(), 32)) {
        findings.add(new Finding(Reason.SCHEMA, "retrieved[" + i + "].record_id must be 0x + 64 hex digits"));
      } else if (score == null || !score.isNumber() || !Double.isFinite(score.asDouble())) {
        findings.add(new Finding(Reason.SCHEMA, "retrieved[" + i + "].score must be a finite number"));
      } else if (item.has("rank") && !(item.get("rank").isIntegralNumber() && item.get("rank").asLong() == i + 1)) {
        // The list's order is the rank the table keeps; a rank that disagrees with it is a broken log.
        findings.add(new Finding(Reason.SCHEMA, "retrieved[" + i + "].rank must be " + (i + 1) + " (records are listed best first), got "
            + Finding.quote(item.get("rank").toString())));
      } else {
        out.add(new Retrieved(rid.textValue().toLowerCase(java.util.Locale.ROOT), score.asDouble()));
      }
      i++;
    }
    return out;
  }

  private static Integer optionalCount(JsonNode json, String key, List<Finding> findings) {
    JsonNode v = json.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
      findings.add(new Finding(Reason.SCHEMA, "field '" + key + "' must be a non-negative whole number or null, got " + Finding.quote(v.toString())));
      return null;
    }
    return v.intValue();
  }

  private static String optionalString(JsonNode json, String key, List<Finding> findings) {
    JsonNode v = json.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      findings.add(new Finding(Reason.SCHEMA, "field '" + key + "' must be a string or null"));
      return null;
    }
    return v.textValue().isEmpty() ? null : v.textValue();
  }

  private static Result rejected(List<Finding> findings, String id, String model, String requester) {
    return new Result(SubmissionValidator.reasons(findings), SubmissionValidator.detail(findings), id, model, requester, null);
  }
}
