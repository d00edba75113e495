package ai.payable.rewards.merkle;

import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.identity.Address;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * A distribution's {@code proofs.json} split by account prefix, so that a claimant downloads its
 * shard (a few kilobytes) rather than every account's proof (1.4 GB at a million accounts). Shard
 * {@code proofs/ab.json} holds the accounts whose lowercase hex starts with {@code ab}; it is a
 * {@code proofs.json} of those accounts (root, domain, claims), so anything that reads one reads
 * the other. The prefix grows with the distribution so that shards hold about {@value
 * #ACCOUNTS_PER_SHARD} accounts or fewer; {@code proofs/shards.json} records it.
 */
public final class ProofShards {

  /** The folder of the shards, beside the page. */
  public static final String FOLDER = "proofs";

  /** The shards' index: {@code prefixLength}, {@code accounts}, {@code root}. */
  public static final String INDEX = FOLDER + "/shards.json";

  /** The average shard size the prefix length aims at. */
  public static final int ACCOUNTS_PER_SHARD = 32;

  private static final int MAX_PREFIX = 8;

  /** What was written. */
  public record Written(int prefixLength, long accounts, int shards, long totalBytes, long largestBytes) {}

  private ProofShards() {}

  /** The prefix length for a distribution of {@code accounts}: the shortest giving shards of at most {@link #ACCOUNTS_PER_SHARD} on average. */
  public static int prefixLength(long accounts) {
    int k = 1;
    long shards = 16;
    while (k < MAX_PREFIX && accounts > ACCOUNTS_PER_SHARD * shards) {
      k++;
      shards *= 16;
    }
    return k;
  }

  /** The shard name of {@code account}. */
  public static String shardOf(Address account, int prefixLength) {
    return account.value().substring(2, 2 + prefixLength);
  }

  /**
   * Finds {@code account} in the published folder {@code folder} (a directory, s3a:// or https://
   * URI): in its shard when the folder holds shards ({@value #INDEX}), else in its {@code proofs.json}.
   *
   * @return empty when the account has no reward there
   */
  public static Optional<ClaimProof> find(String folder, Address account, Configuration hadoop) throws IOException {
    int prefixLength;
    try (InputStream index = ArtifactStore.open(folder, INDEX, hadoop)) {
      prefixLength = new ObjectMapper().readTree(index).path("prefixLength").asInt(0);
    } catch (FileNotFoundException noShards) {
      try (InputStream all = ArtifactStore.open(folder, DistributionFiles.PROOFS, hadoop)) {
        return ClaimProof.find(all, account, folder + "/" + DistributionFiles.PROOFS);
      }
    }
    if (prefixLength < 1 || prefixLength > MAX_PREFIX) {
      throw new IOException(folder + "/" + INDEX + ": prefixLength must be 1 to " + MAX_PREFIX);
    }
    String shard = FOLDER + "/" + shardOf(account, prefixLength) + ".json";
    try (InputStream in = ArtifactStore.open(folder, shard, hadoop)) {
      return ClaimProof.find(in, account, folder + "/" + shard);
    } catch (FileNotFoundException noShard) {
      return Optional.empty();
    }
  }

  /**
   * Streams {@code proofsJson} (closed when done) into {@code site/proofs/}. The claims must come
   * ordered by account, as {@code payable rewards build} writes them, so that one shard is held in
   * memory at a time.
   *
   * @param source the file's name, for errors
   */
  public static Written write(InputStream proofsJson, String source, long accounts, Path site) throws IOException {
    int k = prefixLength(accounts);
    Path folder = Files.createDirectories(site.resolve(FOLDER));
    Writer writer = new Writer(folder, k, source);
    ClaimProof.forEach(proofsJson, source, claim -> {
      writer.add(claim);
      return true;
    });
    return writer.finish();
  }

  /** Collects the claims of one prefix and writes them when the next prefix begins. */
  private static final class Writer {
    private final Path folder;
    private final int prefixLength;
    private final String source;
    private final List<ClaimProof> shard = new ArrayList<>();
    private String prefix;
    private long accounts;
    private int shards;
    private long totalBytes;
    private long largestBytes;

    Writer(Path folder, int prefixLength, String source) {
      this.folder = folder;
      this.prefixLength = prefixLength;
      this.source = source;
    }

    void add(ClaimProof claim) throws IOException {
      String p = shardOf(claim.balance().account(), prefixLength);
      if (!p.equals(prefix)) {
        if (prefix != null && p.compareTo(prefix) < 0) {
          throw new IOException(source + ": claims are not ordered by account (" + claim.balance().account().checksummed() + " comes after shard "
              + prefix + " was complete); rebuild the distribution with payable rewards build");
        }
        flush();
        prefix = p;
      }
      shard.add(claim);
      accounts++;
    }

    Written finish() throws IOException {
      String root = shard.isEmpty() ? null : shard.get(0).root();
      flush();
      var index = new ObjectMapper().createObjectNode().put("prefixLength", prefixLength).put("accounts", accounts).put("shards", shards)
          .put("root", root);
      new ObjectMapper().writeValue(folder.resolve("shards.json").toFile(), index);
      return new Written(prefixLength, accounts, shards, totalBytes, largestBytes);
    }

    private void flush() throws IOException {
      if (shard.isEmpty()) {
        return;
      }
      Path file = folder.resolve(prefix + ".json");
      DistributionFiles.writeProofs(file, shard.get(0).root(), shard.get(0).domain(), shard.iterator());
      long size = Files.size(file);
      shards++;
      totalBytes += size;
      largestBytes = Math.max(largestBytes, size);
      shard.clear();
    }
  }
}
