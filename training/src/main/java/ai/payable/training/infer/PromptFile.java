package ai.payable.training.infer;

import ai.payable.core.inference.InferenceLogLine;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.retrieval.Retriever;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A file of prompts to answer, one JSON object per line, read and checked in full before any is
 * answered: every bad line fails the read with its file, line and field, so a run never stops half
 * way. Blank lines are skipped and counted.
 *
 * @param requests the prompts, in file order
 * @param blankLines how many blank lines were skipped
 */
record PromptFile(List<Request> requests, int blankLines) {

  /**
   * One prompt to answer.
   *
   * @param index its position among the requests (it orders the log and seeds sampling)
   * @param line its line in the file
   * @param json the line as written
   * @param adapterId the adapter it asks for, resolved to an id ({@link AdapterBank#BASE} for none)
   * @param tokens the prompt through the model's chat template
   * @param retrieved the retrieved records the prompt holds (null when retrieval was not asked for)
   */
  public record Request(int index, int line, JsonNode json, String adapterId, int[] tokens, List<Retriever.Hit> retrieved) {

    /** A request as read, before any retrieval. */
    public Request(int index, int line, JsonNode json, String adapterId, int[] tokens) {
      this(index, line, json, adapterId, tokens, null);
    }

    /** The records the line names in its own {@code retrieved} field (checked when the file was read); empty when none. */
    public List<InferenceLogLine.Retrieved> named() {
      return namedRecords(json.path(InferenceLogLine.RETRIEVED));
    }

    /** How many records to retrieve for this prompt: its own {@code retrieve} field, else {@code otherwise}. */
    public int retrieve(int otherwise) {
      return json.has("retrieve") ? json.get("retrieve").intValue() : otherwise;
    }
  }

  /** The most records a line may ask to retrieve. */
  public static final int MAX_RETRIEVE = 50;

  /**
   * Reads {@code file}, resolving adapter names with {@code idByName} and rendering each prompt with
   * {@code format}; a prompt must leave at least one position of the model's {@code context} free.
   *
   * @throws IllegalArgumentException naming the file, line and field of the first bad line
   */
  public static PromptFile read(Path file, Map<String, String> idByName, ChatFormat format, int context) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("prompts file " + file + " does not exist");
    }
    ObjectMapper json = new ObjectMapper();
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    byte[] bytes = Files.readAllBytes(file);
    List<Request> requests = new ArrayList<>();
    int blank = 0;
    int lineNo = 0;
    for (int from = 0; from < bytes.length; ) {
      int end = from;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      lineNo++;
      String where = file + ":" + lineNo;
      String line;
      try {
        line = utf8.decode(ByteBuffer.wrap(bytes, from, end - from)).toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException(where + ": not UTF-8 text; save the file as UTF-8");
      }
      from = end + 1;
      if (line.isBlank()) {
        blank++;
        continue;
      }
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (IOException e) {
        throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (node == null || !node.isObject() || !node.path("prompt").isTextual() || node.get("prompt").asText().isBlank()) {
        throw new IllegalArgumentException(where + ": field prompt: a non-empty string is required");
      }
      String adapter = node.path("adapter").asText("");
      if (!adapter.isEmpty() && !idByName.containsKey(adapter)) {
        throw new IllegalArgumentException(where + ": field adapter: '" + adapter + "' is not among the loaded adapters " + idByName.keySet()
            + "; load it with --adapters or leave the field out for the base model");
      }
      if (node.hasNonNull("fee_wei") && !isWei(node.get("fee_wei").asText())) {
        throw new IllegalArgumentException(where + ": field fee_wei: '" + node.get("fee_wei").asText() + "' is not a whole number of wei");
      }
      if (node.has(InferenceLogLine.RETRIEVED)) {
        try {
          namedRecords(node.get(InferenceLogLine.RETRIEVED));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": field " + e.getMessage(), e);
        }
      }
      if (node.has("retrieve")) {
        JsonNode k = node.get("retrieve");
        if (!k.isIntegralNumber() || !k.canConvertToInt() || k.intValue() < 0 || k.intValue() > MAX_RETRIEVE) {
          throw new IllegalArgumentException(where + ": field retrieve: a whole number of records from 0 to " + MAX_RETRIEVE + " is required, got " + k);
        }
        if (k.intValue() > 0 && adapter.isEmpty()) {
          throw new IllegalArgumentException(where + ": field retrieve: the base model has no DataNet to retrieve from; name an adapter or set retrieve to 0");
        }
      }
      int[] tokens = format.prompt(node.get("prompt").asText());
      if (tokens.length >= context) {
        throw new IllegalArgumentException(where + ": field prompt: " + tokens.length + " tokens with the chat template, but the model's context holds "
            + context + "; shorten the prompt");
      }
      requests.add(new Request(requests.size(), lineNo, node, adapter.isEmpty() ? AdapterBank.BASE : idByName.get(adapter), tokens));
    }
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("prompts file " + file + " has no prompts");
    }
    return new PromptFile(List.copyOf(requests), blank);
  }

  /** A line's own {@code retrieved} list, or the first item at fault. */
  private static List<InferenceLogLine.Retrieved> namedRecords(JsonNode retrieved) {
    if (!retrieved.isArray() && !retrieved.isMissingNode()) {
      throw new IllegalArgumentException(InferenceLogLine.RETRIEVED + " must be a list of {\"record_id\": \"0x…\", \"score\": number}");
    }
    List<InferenceLogLine.Retrieved> out = new ArrayList<>();
    for (JsonNode item : retrieved) {
      out.add(InferenceLogLine.Retrieved.fromJson(item, out.size()));
    }
    return out;
  }

  private static boolean isWei(String text) {
    if (!text.matches("[0-9]{1,78}")) {
      return false;
    }
    return new BigInteger(text).bitLength() <= 256;
  }
}
