package ai.payable.pipelines.validate;

import ai.payable.core.catalog.QuarantineReason;
import ai.payable.core.identity.Address;
import ai.payable.core.identity.TypedDataSignature;
import ai.payable.core.inference.InferenceLogLine.Retrieved;
import ai.payable.core.inference.InferenceLogLine;
import ai.payable.core.inference.InferenceTypedData;
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
 * Per-line checks of an inference log line ({@link InferenceLogLine} defines the format). The fee
 * must be a string of a non-negative integer (JSON numbers lose precision above 2⁵³).
 */
public final class InferenceValidator implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Set<String> knownModels;
  private final Set<String> gateways;

  /**
   * @param knownModels model ids of the registry; empty when the registry has none yet
   * @param gateways the registered gateways' addresses (lowercase hex): the only signers paid
   */
  public InferenceValidator(Optional<Set<String>> knownModels, Set<String> gateways) {
    this.knownModels = knownModels.map(Set::copyOf).orElse(null);
    this.gateways = Set.copyOf(gateways);
  }

  /** The outcome: reasons (empty when valid), the detail, the parsed inference when valid. */
  public record Result(List<String> reasons, String detail, String inferenceId, String modelId, String requester, InferenceLogLine inference)
      implements Serializable {}

  /** Validates one raw line. */
  public Result validate(RawLine line) {
    List<Finding> findings = new ArrayList<>();
    JsonNode json = JsonLines.readLine(line, InferenceLogLine.FIELDS, findings);
    if (json == null) {
      return rejected(findings, null, null, null);
    }
    String id = JsonLines.requiredString(json, InferenceLogLine.INFERENCE_ID, findings);
    String tsText = JsonLines.requiredString(json, InferenceLogLine.TS, findings);
    String modelId = JsonLines.requiredString(json, InferenceLogLine.MODEL_ID, findings);
    String prompt = JsonLines.requiredString(json, InferenceLogLine.PROMPT, findings);
    String output = JsonLines.requiredString(json, InferenceLogLine.OUTPUT, findings);
    String adapterId = optionalString(json, InferenceLogLine.ADAPTER_ID, findings);
    String requester = optionalString(json, InferenceLogLine.REQUESTER, findings);
    String gateway = optionalString(json, InferenceLogLine.GATEWAY, findings);
    String signature = optionalString(json, InferenceLogLine.SIGNATURE, findings);
    Integer promptTokens = optionalCount(json, InferenceLogLine.PROMPT_TOKENS, findings);
    Integer outputTokens = optionalCount(json, InferenceLogLine.OUTPUT_TOKENS, findings);
    if (id != null && (id.isBlank() || id.length() > 128)) {
      findings.add(new Finding(QuarantineReason.SCHEMA, "field 'inference_id' must be 1-128 characters, got " + Finding.quote(id)));
    }
    if (modelId != null && modelId.isBlank()) {
      findings.add(new Finding(QuarantineReason.SCHEMA, "field 'model_id' is empty"));
    }
    Instant ts = null;
    if (tsText != null) {
      try {
        ts = Instant.parse(tsText);
      } catch (DateTimeParseException e) {
        findings.add(new Finding(QuarantineReason.SCHEMA, "field 'ts' value " + Finding.quote(tsText) + " is not an ISO-8601 UTC instant"));
      }
    }
    Wei fee = null;
    JsonNode feeNode = json.get(InferenceLogLine.FEE_WEI);
    if (feeNode == null) {
      findings.add(new Finding(QuarantineReason.SCHEMA, "missing field 'fee_wei'"));
    } else if (!feeNode.isTextual()) {
      findings.add(new Finding(QuarantineReason.BAD_FEE, "field 'fee_wei' must be a string of integer wei (e.g. \"1500000000000000\"), got " + feeNode.getNodeType().name().toLowerCase()));
    } else {
      try {
        fee = Wei.parse(feeNode.textValue());
      } catch (IllegalArgumentException e) {
        findings.add(new Finding(QuarantineReason.BAD_FEE, "field 'fee_wei': " + e.getMessage()));
      }
    }
    List<Retrieved> retrieved = retrieved(json.get(InferenceLogLine.RETRIEVED), findings);
    if (modelId != null && knownModels != null && !knownModels.contains(modelId)) {
      findings.add(new Finding(QuarantineReason.UNKNOWN_MODEL, "model " + Finding.quote(modelId) + " is not in the model registry"));
    }
    if (!findings.isEmpty()) {
      return rejected(findings, id, modelId, requester);
    }
    InferenceLogLine inference = new InferenceLogLine(id, ts, modelId, adapterId, prompt, output, promptTokens, outputTokens, fee, retrieved, requester);
    Optional<Address> signer = checkSignature(inference, tsText, gateway, signature, findings);
    if (!findings.isEmpty()) {
      return rejected(findings, id, modelId, requester);
    }
    return new Result(List.of(), null, id, modelId, requester, inference.withSignature(signer.orElseThrow().checksummed(), signature));
  }

  /** The gateway that signed {@code line}, when it is a registered one and the signature is its. */
  private Optional<Address> checkSignature(InferenceLogLine line, String tsText, String gateway, String signature, List<Finding> findings) {
    if (gateway == null || signature == null) {
      findings.add(new Finding(QuarantineReason.UNSIGNED, "the line has no " + (gateway == null ? "'gateway'" : "'signature'")
          + "; a registered gateway must sign every line it logs (EIP-712 " + InferenceTypedData.DOMAIN_NAME + ")"));
      return Optional.empty();
    }
    Address claimed;
    try {
      claimed = Address.parse(gateway);
    } catch (IllegalArgumentException e) {
      findings.add(new Finding(QuarantineReason.SCHEMA, "field 'gateway': " + e.getMessage()));
      return Optional.empty();
    }
    Optional<Address> recovered = TypedDataSignature.recover(InferenceTypedData.digest(line, tsText), signature);
    if (recovered.isEmpty() || !recovered.get().equals(claimed)) {
      findings.add(new Finding(QuarantineReason.BAD_SIGNATURE, "the signature does not recover to gateway " + claimed.checksummed()
          + recovered.map(a -> " but to " + a.checksummed()).orElse(" (malformed)") + ": the line was changed after signing, or signed by another key"));
      return Optional.empty();
    }
    if (!gateways.contains(claimed.value())) {
      findings.add(new Finding(QuarantineReason.UNKNOWN_GATEWAY, "gateway " + claimed.checksummed() + " is not registered; register it with "
          + "`payable gateway register` if its logs are to be paid"));
      return Optional.empty();
    }
    return Optional.of(claimed);
  }

  private static List<Retrieved> retrieved(JsonNode node, List<Finding> findings) {
    List<Retrieved> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      findings.add(new Finding(QuarantineReason.SCHEMA, "field 'retrieved' must be a list of {record_id, score}"));
      return out;
    }
    int i = 0;
    for (JsonNode item : node) {
      Retrieved r;
      try {
        r = Retrieved.fromJson(item, i);
      } catch (IllegalArgumentException e) {
        findings.add(new Finding(QuarantineReason.SCHEMA, e.getMessage()));
        i++;
        continue;
      }
      if (item.has(Retrieved.RANK) && !(item.get(Retrieved.RANK).isIntegralNumber() && item.get(Retrieved.RANK).asLong() == i + 1)) {
        // The list's order is the rank the table keeps; a rank that disagrees with it is a broken log.
        findings.add(new Finding(QuarantineReason.SCHEMA, "retrieved[" + i + "].rank must be " + (i + 1) + " (records are listed best first), got "
            + Finding.quote(item.get(Retrieved.RANK).toString())));
      } else {
        out.add(r);
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
      findings.add(new Finding(QuarantineReason.SCHEMA, "field '" + key + "' must be a non-negative whole number or null, got " + Finding.quote(v.toString())));
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
      findings.add(new Finding(QuarantineReason.SCHEMA, "field '" + key + "' must be a string or null"));
      return null;
    }
    return v.textValue().isEmpty() ? null : v.textValue();
  }

  private static Result rejected(List<Finding> findings, String id, String model, String requester) {
    return new Result(SubmissionValidator.reasons(findings), SubmissionValidator.detail(findings), id, model, requester, null);
  }
}
