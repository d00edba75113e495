package ai.payable.benchmarks.fidelity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A planted contributor's facts are credited to their records; corrupted records stand out. */
class PlantedContributorCheckTest {

  @Test
  void plantedRecordsAreFoundAndCorruptedOnesStandOut() {
    // With 8 corrupted records of 80, one seeded draw of the model and data moves an AUC by up to
    // ±0.1 (seeds 1–5: TracIn 0.82–0.98), so the AUCs are averaged over three draws.
    List<PlantedContributorCheck.Result> runs = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      PlantedContributorCheck.Result r = new PlantedContributorCheck(80, 20, 8, seed).run(10);
      System.out.println("planted contributor, seed " + seed + ": " + r);
      assertTrue(r.combinedRecall() >= 0.95, "combined recall@10 " + r);
      runs.add(r);
    }
    double dataInf = runs.stream().mapToDouble(PlantedContributorCheck.Result::dataInfSelfAuc).average().orElseThrow();
    double tracIn = runs.stream().mapToDouble(PlantedContributorCheck.Result::tracInSelfAuc).average().orElseThrow();
    assertTrue(dataInf >= 0.9 && tracIn >= 0.85, "mean self-influence AUC of corrupted records: DataInf " + dataInf + ", TracIn " + tracIn + " " + runs);
  }
}
