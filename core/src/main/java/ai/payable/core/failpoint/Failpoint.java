package ai.payable.core.failpoint;

import java.util.Arrays;

/**
 * The places where a nightly run can die between two durable writes, named so that a test can stop
 * a real process there and kill it with SIGKILL, then prove that a re-run recovers: nothing lost,
 * nothing counted twice, no second transaction.
 *
 * <p>A failpoint is armed by naming it in {@code $PAYABLE_FAILPOINT}; the process that reaches an
 * armed failpoint prints {@code failpoint NAME reached} on stderr and waits, doing nothing more,
 * until it is killed. Unarmed (the only state outside tests) a failpoint costs one environment
 * lookup. The idea is that of FreeBSD's and TiKV's fail points, reduced to the one action a crash
 * test needs.
 */
public enum Failpoint {
  /** Ingestion wrote its rows, quarantine and metrics but not its commit marker ({@code ingested_files}). */
  INGEST_WRITTEN("ingest.written"),
  /** Ingestion committed its batch; the process dies before reporting success. */
  INGEST_COMMITTED("ingest.committed"),
  /** Attribution replaced the epoch's {@code attributions} but not yet its {@code epoch_rewards}. */
  ATTRIBUTIONS_WRITTEN("attribute.attributions-written"),
  /** The distribution's files and its {@code distributions} row are written. */
  DISTRIBUTION_RECORDED("build.recorded"),
  /** A transaction was signed, recorded in {@code chain_transactions} and broadcast; its receipt is not yet seen. */
  TRANSACTION_SENT("chain.sent"),
  /** The root's {@code submitRoot} is mined; {@code distributions} does not yet say proposed. */
  ROOT_MINED("propose.mined");

  /** The environment variable that arms a failpoint by its name. */
  public static final String ENV = "PAYABLE_FAILPOINT";

  private final String id;

  Failpoint(String id) {
    this.id = id;
  }

  /** The name that arms it. */
  public String id() {
    return id;
  }

  /** The failpoint named {@code id}; fails naming the known ones. */
  public static Failpoint of(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "no failpoint '" + id + "'; known: " + Arrays.stream(values()).map(Failpoint::id).toList()));
  }

  /** Waits here, forever, when this failpoint is armed; returns at once otherwise. */
  public void reach() {
    if (!id.equals(System.getenv(ENV))) {
      return;
    }
    System.err.println("failpoint " + id + " reached; waiting to be killed");
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // A crash does not finish its work when interrupted either: keep waiting for the kill.
      }
    }
  }
}
