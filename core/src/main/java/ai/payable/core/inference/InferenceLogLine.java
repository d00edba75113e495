package ai.payable.core.inference;

import ai.payable.core.crypto.Hex;
import ai.payable.core.money.Wei;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One line of an inference log: what a gateway writes for each answer and ingestion reads back.
 * <pre>{"inference_id", "ts", "model_id", "adapter_id", "prompt", "output", "prompt_tokens", "output_tokens", "fee_wei",
 *  "retrieved": [{"record_id", "score", "rank"}], "requester", "gateway", "signature"}</pre>
 * The fee is a string of integer wei (JSON numbers lose precision above 2⁵³). The adapter, the
 * token counts and the requester may be absent; {@code retrieved} lists the records that were put
 * into the prompt, best first ({@code rank} is the position, from 1). {@code gateway} is the
 * address of the registered gateway that served the answer and {@code signature} its EIP-712
 * signature over the line ({@link InferenceTypedData}): ingestion pays only signed lines.
 *
 * @param adapterId null for the base model
 * @param promptTokens tokens of the prompt as the model read it (chat template and retrieved records included); null when not counted
 * @param outputTokens tokens of the answer; null when not counted
 * @param requester null when the gateway does not name who asked
 * @param gateway the signing gateway's address; null on a line not signed yet
 * @param signature the gateway's signature, {@code 0x} + 65 bytes; null on a line not signed yet
 */
public record InferenceLogLine(String inferenceId, Instant ts, String modelId, String adapterId, String prompt, String output, Integer promptTokens,
    Integer outputTokens, Wei fee, List<Retrieved> retrieved, String requester, String gateway, String signature) implements Serializable {

  public static final String INFERENCE_ID = "inference_id";
  public static final String TS = "ts";
  public static final String MODEL_ID = "model_id";
  public static final String ADAPTER_ID = "adapter_id";
  public static final String PROMPT = "prompt";
  public static final String OUTPUT = "output";
  public static final String PROMPT_TOKENS = "prompt_tokens";
  public static final String OUTPUT_TOKENS = "output_tokens";
  public static final String FEE_WEI = "fee_wei";
  public static final String RETRIEVED = "retrieved";
  public static final String REQUESTER = "requester";
  public static final String GATEWAY = "gateway";
  public static final String SIGNATURE = "signature";

  /** Every key a line may have. */
  public static final Set<String> FIELDS =
      Set.of(INFERENCE_ID, TS, MODEL_ID, ADAPTER_ID, PROMPT, OUTPUT, PROMPT_TOKENS, OUTPUT_TOKENS, FEE_WEI, RETRIEVED, REQUESTER, GATEWAY, SIGNATURE);

  private static final ObjectMapper JSON = new ObjectMapper();

  public InferenceLogLine {
    retrieved = List.copyOf(retrieved);
  }

  /** A line not signed yet: a gateway signs it with {@link GatewaySigner#sign}. */
  public InferenceLogLine(String inferenceId, Instant ts, String modelId, String adapterId, String prompt, String output, Integer promptTokens,
      Integer outputTokens, Wei fee, List<Retrieved> retrieved, String requester) {
    this(inferenceId, ts, modelId, adapterId, prompt, output, promptTokens, outputTokens, fee, retrieved, requester, null, null);
  }

  /** This line signed by {@code gateway} with {@code signature}. */
  public InferenceLogLine withSignature(String gateway, String signature) {
    return new InferenceLogLine(inferenceId, ts, modelId, adapterId, prompt, output, promptTokens, outputTokens, fee, retrieved, requester, gateway,
        signature);
  }

  /**
   * A record that was retrieved into the prompt.
   *
   * @param recordId the record's id (0x and 64 hex digits)
   * @param score the retriever's score
   */
  public record Retrieved(String recordId, double score) implements Serializable {
    public static final String RECORD_ID = "record_id";
    public static final String SCORE = "score";
    public static final String RANK = "rank";

    /**
     * Item {@code index} of a {@code retrieved} list as written (its {@code rank}, if any, is the
     * reader's to check against the position).
     *
     * @throws IllegalArgumentException naming the item and the field at fault
     */
    public static Retrieved fromJson(JsonNode item, int index) {
      JsonNode id = item.get(RECORD_ID);
      JsonNode score = item.get(SCORE);
      if (id == null || !id.isTextual() || !Hex.isHex(id.textValue(), 32)) {
        throw new IllegalArgumentException(RETRIEVED + "[" + index + "]." + RECORD_ID + " must be 0x + 64 hex digits");
      }
      if (score == null || !score.isNumber() || !Double.isFinite(score.asDouble())) {
        throw new IllegalArgumentException(RETRIEVED + "[" + index + "]." + SCORE + " must be a finite number");
      }
      return new Retrieved(id.textValue().toLowerCase(Locale.ROOT), score.asDouble());
    }
  }

  /**
   * Reads a complete line (gateway and signature optional). Ingestion checks lines field by field
   * with reasons to quarantine; this is for tools that re-sign or inspect well-formed logs.
   *
   * @throws IllegalArgumentException naming the first field at fault
   */
  public static InferenceLogLine fromJson(String line) {
    JsonNode o;
    try {
      o = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage());
    }
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    List<Retrieved> retrieved = new ArrayList<>();
    JsonNode items = o.path(RETRIEVED);
    for (int i = 0; i < items.size(); i++) {
      retrieved.add(Retrieved.fromJson(items.get(i), i));
    }
    JsonNode fee = o.get(FEE_WEI);
    if (fee == null || !fee.isTextual()) {
      throw new IllegalArgumentException(FEE_WEI + " must be a string of integer wei");
    }
    try {
      return new InferenceLogLine(text(o, INFERENCE_ID, true), Instant.parse(text(o, TS, true)), text(o, MODEL_ID, true), text(o, ADAPTER_ID, false),
          text(o, PROMPT, true), text(o, OUTPUT, true), count(o, PROMPT_TOKENS), count(o, OUTPUT_TOKENS), Wei.parse(fee.textValue()), retrieved,
          text(o, REQUESTER, false), text(o, GATEWAY, false), text(o, SIGNATURE, false));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(TS + " is not an ISO-8601 instant: " + e.getParsedString());
    }
  }

  private static String text(JsonNode o, String field, boolean required) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty() && !required)) {
      if (required) {
        throw new IllegalArgumentException("missing field '" + field + "'");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string");
    }
    return v.textValue();
  }

  private static Integer count(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.intValue();
  }

  /** The line as JSON, without its newline; absent optional fields are left out. */
  public String toJson() {
    ObjectNode log = JSON.createObjectNode();
    log.put(INFERENCE_ID, inferenceId);
    log.put(TS, ts.toString());
    log.put(MODEL_ID, modelId);
    if (adapterId != null) {
      log.put(ADAPTER_ID, adapterId);
    }
    log.put(PROMPT, prompt);
    log.put(OUTPUT, output);
    if (promptTokens != null) {
      log.put(PROMPT_TOKENS, promptTokens);
    }
    if (outputTokens != null) {
      log.put(OUTPUT_TOKENS, outputTokens);
    }
    log.put(FEE_WEI, fee.toString());
    ArrayNode list = log.putArray(RETRIEVED);
    for (int i = 0; i < retrieved.size(); i++) {
      Retrieved r = retrieved.get(i);
      list.addObject().put(Retrieved.RECORD_ID, r.recordId()).put(Retrieved.SCORE, r.score()).put(Retrieved.RANK, i + 1);
    }
    if (requester != null) {
      log.put(REQUESTER, requester);
    }
    if (gateway != null) {
      log.put(GATEWAY, gateway);
      log.put(SIGNATURE, signature);
    }
    try {
      return JSON.writeValueAsString(log);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
