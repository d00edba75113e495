package ai.payable.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.testing.SparkTestBase;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Four nights of the money path on anvil with the real timelock: a revoked night, a late log and a
 * night the chain stalls mid-proposal. Every fee ends up claimable and claimed, exactly once.
 * ({@code benchmarks/run schedule --nights 14} runs the two-week version.)
 */
class ScheduleSimulationTest extends SparkTestBase {

  @Test
  void everyFeeIsClaimableOnceAndEveryRootAcceptedOnce() throws Exception {
    ScheduleSimulation.Settings settings = new ScheduleSimulation.Settings(4, 3, 1, 2, 3, Path.of("..").toAbsolutePath().normalize(),
        scratch.resolve("schedule"));
    ScheduleSimulation.Outcome o = new ScheduleSimulation(lakehouse, settings).run(line -> { });

    assertTrue(o.fees().signum() > 0);
    assertEquals(o.fees(), o.rewards(), "every fee was split into rewards: " + o.rewardsByRole());
    assertEquals(3, o.rewardsByRole().size(), "data, model builder and protocol are paid: " + o.rewardsByRole());
    assertEquals(o.rewards(), o.finalCumulative(), "the last root holds every reward of every night, the revoked one's included");
    assertEquals(o.finalCumulative(), o.claimed(), "and every account claimed all of it");
    assertEquals(BigInteger.ZERO, o.leftInDistributor(), "top-ups sent exactly what the roots made claimable");
    assertEquals(1, o.revoked());
    assertEquals(3, o.rootsAccepted(), "every root but the revoked one was accepted");
    List<LocalDate> accepted = o.acceptedEpochs();
    assertEquals(accepted.size(), new HashSet<>(accepted).size(), "no epoch accepted twice: " + accepted);
    assertEquals(1, o.lateAnswers(), "the late log was paid in a later epoch");
    assertEquals(List.of("accepted", "built", "accepted", "accepted"), List.copyOf(o.statusByEpoch().values()), o.statusByEpoch().toString());
  }
}
