package ai.payable.rewards.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** ABI and bytecode of a contract compiled by {@code make contracts}, from the classpath. */
public record CompiledContract(String name, String compiler, JsonNode abi, String bytecode) {

  /** Loads {@code ai/payable/rewards/contracts/NAME.json}. */
  public static CompiledContract load(String name) {
    String resource = "/ai/payable/rewards/contracts/" + name + ".json";
    try (InputStream in = CompiledContract.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no compiled contract " + resource + " on the classpath; run `make contracts`");
      }
      JsonNode json = new ObjectMapper().readTree(in);
      return new CompiledContract(name, json.get("compiler").asText(), json.get("abi"), json.get("bytecode").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
