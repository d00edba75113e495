package ai.payable.rewards.merkle;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a distribution's artifacts: {@code tree.json}, OpenZeppelin's {@code standard-v1} dump
 * (what {@code StandardMerkleTree.load} reads), and {@code proofs.json}: the root, its claim domain
 * (chain, distributor, token) and each account's cumulative amount and proof, which is what a
 * contributor needs to claim. Streamed, so a million accounts
 * do not need a JSON tree in memory.
 */
public final class DistributionFiles {

  public static final String TREE = "tree.json";
  public static final String PROOFS = "proofs.json";

  private DistributionFiles() {}

  /** Writes both files into {@code dir} (created if needed). */
  public static void write(RewardsMerkleTree tree, Path dir) throws IOException {
    Files.createDirectories(dir);
    ClaimDomain domain = tree.domain();
    JsonFactory json = new JsonFactory();
    try (JsonGenerator g = json.createGenerator(dir.resolve(TREE).toFile(), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("format", "standard-v1");
      g.writeArrayFieldStart("leafEncoding");
      for (String e : RewardsMerkleTree.LEAF_ENCODING) {
        g.writeString(e);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("tree");
      for (String node : tree.nodes()) {
        g.writeString(node);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("values");
      List<CumulativeBalance> values = tree.values();
      for (int i = 0; i < values.size(); i++) {
        g.writeStartObject();
        g.writeArrayFieldStart("value");
        g.writeString(values.get(i).account().checksummed());
        g.writeString(values.get(i).cumulativeWei().toString());
        g.writeString(domain.token().checksummed());
        g.writeString(domain.distributor().checksummed());
        g.writeString(Long.toString(domain.chainId()));
        g.writeEndArray();
        g.writeNumberField("treeIndex", tree.treeIndex(i));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    try (JsonGenerator g = json.createGenerator(dir.resolve(PROOFS).toFile(), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("root", tree.root());
      g.writeObjectFieldStart("domain");
      g.writeNumberField("chainId", domain.chainId());
      g.writeStringField("distributor", domain.distributor().checksummed());
      g.writeStringField("token", domain.token().checksummed());
      g.writeEndObject();
      g.writeObjectFieldStart("claims");
      List<CumulativeBalance> values = tree.values();
      for (int i = 0; i < values.size(); i++) {
        g.writeObjectFieldStart(values.get(i).account().checksummed());
        g.writeStringField("cumulative", values.get(i).cumulativeWei().toString());
        g.writeArrayFieldStart("proof");
        for (String p : tree.proof(i)) {
          g.writeString(p);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    }
  }
}
