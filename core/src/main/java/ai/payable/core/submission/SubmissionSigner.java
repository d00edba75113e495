package ai.payable.core.submission;

import ai.payable.core.identity.Address;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * Signs submission lines with a contributor's key, as a wallet would with
 * {@code eth_signTypedData_v4}: fills in {@code contributor} (the key's address) and
 * {@code signature}. Used by {@code payable datanet sign}, the demo and the tests.
 */
public final class SubmissionSigner {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FIELDS =
      List.of("datanet", "license", "kind", "prompt", "completion", "text", "createdAt");

  private final ECKeyPair key;
  private final Address address;

  public SubmissionSigner(ECKeyPair key) {
    this.key = key;
    this.address = Address.parse("0x" + Keys.getAddress(key));
  }

  /** The signer's address. */
  public Address address() {
    return address;
  }

  /** A signed submission line (JSON) for the given content, contributor set to the signer. */
  public String signLine(String datanet, String license, String kind, String prompt, String completion, String text, String createdAt) {
    RecordContent content = new RecordContent(datanet, address.value(), license, kind, prompt, completion, text, createdAt);
    ObjectNode node = JSON.createObjectNode();
    node.put("datanet", datanet);
    node.put("contributor", address.checksummed());
    node.put("license", license);
    node.put("kind", kind);
    node.put("prompt", prompt);
    node.put("completion", completion);
    node.put("text", text);
    node.put("createdAt", createdAt);
    node.put("signature", RecordTypedData.sign(content, key));
    return node.toString();
  }

  /**
   * Signs every line of an unsigned JSONL file (fields datanet, license, kind, prompt,
   * completion, text, createdAt; missing prompt/completion/text default to empty) into
   * {@code out}. Returns the number of lines signed.
   *
   * @throws IllegalArgumentException naming the file and line of a line that cannot be signed
   */
  public long signFile(Path in, Path out) throws IOException {
    long n = 0;
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
        BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(in + ":" + n + ": not valid JSON: " + e.getMessage(), e);
        }
        String[] v = new String[FIELDS.size()];
        for (int i = 0; i < v.length; i++) {
          String field = FIELDS.get(i);
          JsonNode f = node.get(field);
          boolean optional = field.equals("prompt") || field.equals("completion") || field.equals("text");
          if (f == null && optional) {
            v[i] = "";
          } else if (f == null || !f.isTextual()) {
            throw new IllegalArgumentException(in + ":" + n + ": field '" + field + "' must be a string");
          } else {
            v[i] = f.textValue();
          }
        }
        writer.write(signLine(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
        writer.newLine();
      }
    }
    return n;
  }
}
