package ai.payable.rewards.chain;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.identity.Address;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names the custom errors of our contracts in revert data, with their arguments, from the ABIs of
 * the compiled artifacts: {@code EpochInFuture(submitted=20500, today=20423)} instead of a selector.
 * All their error arguments are static (addresses, integers, bytes32), one ABI word each.
 */
final class ContractErrors {

  private record ErrorAbi(String name, List<String> names, List<String> types) {}

  private static final List<String> ARTIFACTS = List.of("RewardsDistributor.json", "TestToken.json");
  private static final Map<String, ErrorAbi> BY_SELECTOR = load();

  private ContractErrors() {}

  /** The error in {@code data} ({@code 0x} + selector + arguments), decoded; empty when not one of ours. */
  static Optional<String> describe(String data) {
    if (data == null || data.length() < 10) {
      return Optional.empty();
    }
    ErrorAbi error = BY_SELECTOR.get(data.substring(0, 10).toLowerCase());
    if (error == null) {
      return Optional.empty();
    }
    byte[] args = Hex.decode("0x" + data.substring(10));
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < error.types().size(); i++) {
      if (args.length < 32 * (i + 1)) {
        return Optional.of(error.name() + "(…)");
      }
      byte[] word = Arrays.copyOfRange(args, 32 * i, 32 * (i + 1));
      String type = error.types().get(i);
      String value = type.equals("address") ? Address.parse(Hex.encode(Arrays.copyOfRange(word, 12, 32))).checksummed()
          : type.startsWith("uint") ? new BigInteger(1, word).toString()
          : Hex.encode(word);
      shown.add(error.names().get(i).isEmpty() ? value : error.names().get(i) + "=" + value);
    }
    return Optional.of(error.name() + "(" + String.join(", ", shown) + ")");
  }

  private static Map<String, ErrorAbi> load() {
    Map<String, ErrorAbi> out = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String artifact : ARTIFACTS) {
      try (InputStream in = ContractErrors.class.getResourceAsStream("/ai/payable/rewards/contracts/" + artifact)) {
        if (in == null) {
          throw new IllegalStateException("the compiled contract " + artifact + " is missing from the classpath; run `make contracts`");
        }
        for (JsonNode entry : json.readTree(in).path("abi")) {
          if (!entry.path("type").asText().equals("error")) {
            continue;
          }
          List<String> names = new ArrayList<>();
          List<String> types = new ArrayList<>();
          entry.path("inputs").forEach(i -> {
            names.add(i.path("name").asText());
            types.add(i.path("type").asText());
          });
          String signature = entry.path("name").asText() + "(" + String.join(",", types) + ")";
          out.put(Hex.encode(Keccak.hash(signature)).substring(0, 10), new ErrorAbi(entry.path("name").asText(), names, types));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.copyOf(out);
  }
}
