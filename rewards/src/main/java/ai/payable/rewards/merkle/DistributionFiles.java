package ai.payable.rewards.merkle;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
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
    List<CumulativeBalance> values = tree.values();
    Iterator<ClaimProof> claims = new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < values.size();
      }

      @Override
      public ClaimProof next() {
        ClaimProof c = new ClaimProof(tree.root(), domain, values.get(i), tree.proof(i));
        i++;
        return c;
      }
    };
    writeProofs(dir.resolve(PROOFS), tree.root(), domain, claims);
  }

  /** Writes a {@code proofs.json} of {@code claims}, in their order, under {@code root}: a whole distribution's, or a shard's. */
  static void writeProofs(Path file, String root, ClaimDomain domain, Iterator<ClaimProof> claims) throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("root", root);
      g.writeObjectFieldStart("domain");
      g.writeNumberField("chainId", domain.chainId());
      g.writeStringField("distributor", domain.distributor().checksummed());
      g.writeStringField("token", domain.token().checksummed());
      g.writeEndObject();
      g.writeObjectFieldStart("claims");
      while (claims.hasNext()) {
        ClaimProof c = claims.next();
        g.writeObjectFieldStart(c.balance().account().checksummed());
        g.writeStringField("cumulative", c.balance().cumulativeWei().toString());
        g.writeArrayFieldStart("proof");
        for (String node : c.proof()) {
          g.writeString(node);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    }
  }
}
