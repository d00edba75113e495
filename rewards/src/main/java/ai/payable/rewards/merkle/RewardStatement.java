package ai.payable.rewards.merkle;

import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.identity.Address;
import ai.payable.core.money.TokenUnits;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * What an account is owed according to the published distribution files alone, with no chain and
 * no lakehouse: its cumulative amount and proof in one distribution (the proof checked against the
 * root locally), and what it earned in each earlier epoch, found by following each folder's
 * {@code distribution.json} to the sibling folder of the distribution before it.
 *
 * @param folder the distribution's folder as given
 * @param manifest the folder's {@code distribution.json}, empty for a distribution built before it existed
 * @param epochs newest first: each published epoch's cumulative amount and the increase over the one before
 * @param historyNote why the history stops where it does, when it stops before the account's first reward
 */
public record RewardStatement(Address account, String folder, ClaimProof proof, Optional<DistributionManifest> manifest, List<Epoch> epochs,
    Optional<String> historyNote) {

  /**
   * One published epoch: the account's cumulative amount then, and what it earned in that epoch
   * (null when the distribution before it could not be read).
   */
  public record Epoch(LocalDate epoch, BigInteger cumulativeWei, BigInteger earnedWei) {}

  /** The token units of the distribution, {@link TokenUnits#WEI} when its files do not say. */
  public TokenUnits token() {
    return manifest.map(DistributionManifest::token).orElse(TokenUnits.WEI);
  }

  /**
   * Reads the statement of {@code account} from the distribution at {@code folder} (a directory, a
   * Hadoop URI or an https URL) and the distributions published before it.
   *
   * @throws IllegalArgumentException when the account has nothing in the distribution, or its proof
   *     does not lead to the published root (a corrupt or edited file: nobody should claim with it)
   */
  public static RewardStatement read(String folder, Address account, Configuration hadoop) throws IOException {
    String proofs = folder + "/" + DistributionFiles.PROOFS;
    ClaimProof proof = ProofShards.find(folder, account, hadoop)
        .orElseThrow(() -> new IllegalArgumentException(account.checksummed() + " has no reward in the distribution at " + folder));
    if (!proof.verifies()) {
      throw new IllegalArgumentException("the proof of " + account.checksummed() + " in " + proofs + " does not lead to its root " + proof.root()
          + ": the file is corrupt or was edited; do not claim with it, and tell the distribution's publisher");
    }
    Optional<DistributionManifest> manifest = manifest(folder, hadoop);
    if (manifest.isPresent() && !manifest.get().domain().equals(proof.domain())) {
      throw new IllegalArgumentException(folder + ": " + DistributionManifest.FILE + " is for " + manifest.get().domain() + " but "
          + DistributionFiles.PROOFS + " for " + proof.domain() + "; the folder mixes two distributions");
    }
    if (manifest.isPresent() && !manifest.get().root().equals(proof.root())) {
      throw new IllegalArgumentException(folder + ": " + DistributionManifest.FILE + " names root " + manifest.get().root() + " but "
          + DistributionFiles.PROOFS + " has " + proof.root() + "; the folder mixes two distributions");
    }
    if (manifest.isEmpty()) {
      return new RewardStatement(account, folder, proof, manifest, List.of(),
          Optional.of(folder + " has no " + DistributionManifest.FILE + " (built before it existed), so earlier epochs are not listed"));
    }

    List<Epoch> newestFirst = new ArrayList<>();
    LocalDate epoch = manifest.get().epoch();
    BigInteger cumulative = proof.balance().cumulativeWei();
    LocalDate previous = manifest.get().previousEpoch();
    Optional<String> note = Optional.empty();
    while (true) {
      if (previous == null) {
        newestFirst.add(new Epoch(epoch, cumulative, cumulative));
        break;
      }
      String sibling = sibling(folder, previous);
      BigInteger before;
      LocalDate beforePrevious;
      try {
        Optional<ClaimProof> earlier = ProofShards.find(sibling, account, hadoop);
        before = earlier.map(p -> p.balance().cumulativeWei()).orElse(BigInteger.ZERO);
        beforePrevious = manifest(sibling, hadoop).map(DistributionManifest::previousEpoch).orElse(null);
      } catch (IOException unreadable) {
        note = Optional.of("the history stops at " + epoch + ": the distribution of " + previous + " could not be read (" + unreadable.getMessage() + ")");
        newestFirst.add(new Epoch(epoch, cumulative, null));
        break;
      }
      newestFirst.add(new Epoch(epoch, cumulative, cumulative.subtract(before)));
      if (before.signum() == 0) {
        break; // nothing earned before: earlier distributions have nothing of this account
      }
      epoch = previous;
      cumulative = before;
      previous = beforePrevious;
    }
    return new RewardStatement(account, folder, proof, manifest, Collections.unmodifiableList(newestFirst), note);
  }

  private static Optional<DistributionManifest> manifest(String folder, Configuration hadoop) throws IOException {
    try {
      return Optional.of(DistributionManifest.read(ArtifactStore.open(folder, DistributionManifest.FILE, hadoop), folder + "/" + DistributionManifest.FILE));
    } catch (FileNotFoundException absent) {
      return Optional.empty();
    }
  }

  /** The folder of {@code epoch} beside {@code folder}: distributions are published in sibling folders named by their epoch. */
  static String sibling(String folder, LocalDate epoch) {
    String base = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    return base.substring(0, base.lastIndexOf('/') + 1) + epoch;
  }
}
