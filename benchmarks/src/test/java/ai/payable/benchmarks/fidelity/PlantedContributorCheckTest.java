package ai.payable.benchmarks.fidelity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A planted contributor's facts are credited to their records; corrupted records stand out. */
class PlantedContributorCheckTest {

  @Test
  void plantedRecordsAreFoundAndCorruptedOnesStandOut() {
    PlantedContributorCheck.Result r = new PlantedContributorCheck(80, 20, 8, 3).run(10);
    System.out.println("planted contributor: " + r);
    assertTrue(r.combinedRecall() >= 0.95, "combined recall@10 " + r);
    assertTrue(r.dataInfSelfAuc() >= 0.9 && r.tracInSelfAuc() >= 0.85, "self-influence AUC of corrupted records " + r);
  }
}
