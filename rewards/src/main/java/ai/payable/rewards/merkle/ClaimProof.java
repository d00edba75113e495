package ai.payable.rewards.merkle;

import ai.payable.core.identity.Address;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One account's entry in a distribution's {@code proofs.json}: its cumulative amount and Merkle
 * proof under {@code root}, claimable in {@code domain}.
 */
public record ClaimProof(String root, ClaimDomain domain, CumulativeBalance balance, List<String> proof) {

  /** Whether the proof leads from the account's leaf to {@link #root()}. */
  public boolean verifies() {
    return RewardsMerkleTree.verify(root, domain, balance, proof);
  }

  /** Receives the claims of a {@code proofs.json}, in file order; returns whether to go on. */
  @FunctionalInterface
  public interface Visitor {
    boolean visit(ClaimProof claim) throws IOException;
  }

  /**
   * Finds {@code account} in a {@code proofs.json} stream (closed when done), streaming so a file
   * of a million accounts is never held in memory.
   *
   * @return empty when the account has nothing in this distribution
   */
  public static Optional<ClaimProof> find(InputStream proofsJson, Address account, String source) throws IOException {
    ClaimProof[] found = new ClaimProof[1];
    forEach(proofsJson, source, claim -> {
      if (claim.balance().account().equals(account)) {
        found[0] = claim;
        return false;
      }
      return true;
    });
    return Optional.ofNullable(found[0]);
  }

  /**
   * Streams every claim of a {@code proofs.json} (closed when done) to {@code visitor}, in file
   * order, until it returns false.
   */
  public static void forEach(InputStream proofsJson, String source, Visitor visitor) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(proofsJson)) {
      String root = null;
      ClaimDomain domain = null;
      expect(p.nextToken() == JsonToken.START_OBJECT, source);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("root")) {
          root = p.getText();
        } else if (field.equals("domain")) {
          domain = domain(p, source);
        } else if (field.equals("claims")) {
          expect(root != null && domain != null, source);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            Address account = Address.parse(p.currentName());
            p.nextToken();
            String cumulative = null;
            List<String> proof = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              p.nextToken();
              if (name.equals("cumulative")) {
                cumulative = p.getText();
              } else if (name.equals("proof")) {
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                  proof.add(p.getText());
                }
              } else {
                p.skipChildren();
              }
            }
            expect(cumulative != null, source);
            if (!visitor.visit(new ClaimProof(root, domain, new CumulativeBalance(account, new BigInteger(cumulative)), proof))) {
              return;
            }
          }
        } else {
          p.skipChildren();
        }
      }
    }
  }

  private static ClaimDomain domain(JsonParser p, String source) throws IOException {
    expect(p.currentToken() == JsonToken.START_OBJECT, source);
    long chainId = 0;
    String distributor = null;
    String token = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "chainId" -> chainId = p.getValueAsLong();
        case "distributor" -> distributor = p.getText();
        case "token" -> token = p.getText();
        default -> p.skipChildren();
      }
    }
    expect(chainId > 0 && distributor != null && token != null, source);
    return ClaimDomain.of(chainId, distributor, token);
  }

  private static void expect(boolean ok, String source) {
    if (!ok) {
      throw new IllegalArgumentException(source + " is not the proofs.json of a reward distribution (expected {\"root\":…, \"domain\":{…}, \"claims\":{…}})");
    }
  }
}
