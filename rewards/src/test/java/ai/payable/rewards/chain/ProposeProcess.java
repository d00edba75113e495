package ai.payable.rewards.chain;

import ai.payable.core.config.PayableConfig;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.lakehouse.SparkSessions;
import ai.payable.core.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.web3j.crypto.Credentials;

/**
 * Proposes an epoch's root in a JVM of its own, so that {@link CrashSafeProposalTest} can kill it
 * with SIGKILL mid-proposal, as a machine failure would. Arguments: lakehouse URI, RPC URL, chain
 * id, distributor, epoch; the key is read from {@code PAYABLE_TEST_KEY}. It waits for its
 * transaction forever (no fee raise), as a run does when the chain stalls.
 */
public final class ProposeProcess {

  private ProposeProcess() {}

  public static void main(String[] args) throws Exception {
    URI root = URI.create(args[0]);
    SparkSession spark = SparkSessions.getOrCreate(new PayableConfig(root, "local[1]", 1, Optional.empty()));
    Lakehouse lakehouse = new Lakehouse(spark, root);
    try (ChainConnection connection = ChainConnection.open(args[1], Long.parseLong(args[2]), RetryPolicy.DEFAULT)) {
      EvmClient chain = new EvmClient(connection, Credentials.create(System.getenv("PAYABLE_TEST_KEY")), 200);
      new RootPoster(lakehouse, chain, args[3], new JournaledSender.Settings(1, Duration.ofHours(1), 0, Duration.ofHours(1)))
          .propose(LocalDate.parse(args[4]), RootPoster.Funding.REFUSE);
    }
  }
}
