package ai.payable.rewards.site;

import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.DistributionRow;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.merkle.DistributionFiles;
import ai.payable.rewards.merkle.DistributionManifest;
import ai.payable.rewards.merkle.ProofShards;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * The static claim page of one distribution, in a folder of plain files that any web server or
 * object store can host: the page (bundled from {@code claim-site/} at build time, no CDN),
 * {@code site.json} (the distribution, its claim domain and token), the proofs in shards ({@link
 * ProofShards}) and each account's lineage ({@link ContributorLineage}). The folder is written
 * beside the old one and swapped in, so a page being served never mixes two distributions.
 */
public final class ClaimSite {

  /** The {@code format} of {@code site.json}. */
  public static final String FORMAT = "payable-claim-site-v1";

  /** The site's manifest, read by the page first. */
  public static final String MANIFEST = "site.json";

  /** The page's files, bundled into this module's resources by the build. */
  static final List<String> PAGE = List.of("index.html", "app.js", "style.css");

  private static final String PAGE_RESOURCES = "/ai/payable/rewards/site/";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What was written. */
  public record Written(Path folder, LocalDate epoch, String root, DistributionStatus status, ProofShards.Written proofs, long lineageFiles) {}

  private final Lakehouse lakehouse;

  public ClaimSite(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** Writes the site of {@code epoch}'s distribution into {@code out}, replacing what was there. */
  public Written write(LocalDate epoch, Path out) throws IOException {
    DistributionRow d = new DistributionLedger(lakehouse).require(epoch);
    String folder = d.artifactUri();
    Configuration hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    byte[] manifestBytes;
    try (InputStream in = ArtifactStore.open(folder, DistributionManifest.FILE, hadoop)) {
      manifestBytes = in.readAllBytes();
    }
    DistributionManifest manifest = DistributionManifest.read(new ByteArrayInputStream(manifestBytes), folder + "/" + DistributionManifest.FILE);
    Path target = out.toAbsolutePath().normalize();
    Path staging = target.resolveSibling(target.getFileName() + ".staging");
    deleteTree(staging);
    Files.createDirectories(staging);

    copyPage(staging);
    // The distribution's manifest too, so that `payable claim --distribution SITE` reads the token's units and the history.
    Files.write(staging.resolve(DistributionManifest.FILE), manifestBytes);
    ProofShards.Written proofs;
    try (InputStream in = ArtifactStore.open(folder, DistributionFiles.PROOFS, hadoop)) {
      proofs = ProofShards.write(in, folder + "/" + DistributionFiles.PROOFS, d.accounts(), staging);
    }
    long lineage = new ContributorLineage(lakehouse).write(epoch, proofs.prefixLength(), staging);
    writeManifest(staging, manifest, proofs.prefixLength());

    Path old = target.resolveSibling(target.getFileName() + ".old");
    deleteTree(old);
    if (Files.exists(target)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(old);
    return new Written(target, epoch, d.root(), d.status(), proofs, lineage);
  }

  private static void writeManifest(Path site, DistributionManifest m, int prefixLength) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("epoch", m.epoch().toString());
    root.put("root", m.root());
    ObjectNode domain = root.putObject("domain");
    domain.put("chainId", m.domain().chainId());
    domain.put("distributor", m.domain().distributor().checksummed());
    domain.put("token", m.domain().token().checksummed());
    ObjectNode token = root.putObject("token");
    token.put("symbol", m.token().symbol());
    token.put("decimals", m.token().decimals());
    root.putObject("shards").put("prefixLength", prefixLength);
    root.put("generatedAt", Instant.now().toString());
    JSON.writeValue(site.resolve(MANIFEST).toFile(), root);
  }

  private static void copyPage(Path site) throws IOException {
    for (String name : PAGE) {
      try (InputStream in = ClaimSite.class.getResourceAsStream(PAGE_RESOURCES + name)) {
        if (in == null) {
          throw new IllegalStateException("the claim page's " + name + " is not in this build: the rewards module bundles it with node "
              + "(claim-site/build.mjs); run `make build` (it installs the npm packages first)");
        }
        Files.copy(in, site.resolve(name));
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.delete(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
