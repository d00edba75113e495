package ai.payable.cli.ingest;

import ai.payable.cli.LakehouseOption;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.lakehouse.HadoopSettings;
import ai.payable.pipelines.ingest.IngestSummary;
import ai.payable.pipelines.ingest.InferenceIngestJob;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable ingest}: landing zones into Delta tables. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Ingest landing files into the lakehouse; every line ends in its table or in quarantine.",
    subcommands = {IngestCommand.Submissions.class, IngestCommand.Inferences.class})
public final class IngestCommand {

  /** Says why the run was quick: nothing was new, so Spark was never started. */
  static IngestSummary skippedSpark(IngestSummary nothingNew) {
    System.err.println("nothing new in the landing zone since the last run (decided from file listings; Spark was not started)");
    return nothingNew;
  }

  /** {@code payable ingest submissions}. */
  @Command(
      name = "submissions",
      mixinStandardHelpOptions = true,
      description = {
      "Validates signed DataNet submissions (JSONL) into `records`; rejects go to `quarantine` with reason codes. Files already ingested (same path and checksum) are skipped, and a run that was interrupted is rolled back first, so re-running is always safe."
    })
  static final class Submissions implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Option(names = "--landing", required = true, paramLabel = "URI", description = "Landing zone: a directory or s3a://bucket/prefix.")
    String landing;

    @Option(names = "--by-contributor", description = "Break the summary down per contributor.")
    boolean byContributor;

    @Override
    public Integer call() {
      PayableConfig config = lakehouse.config();
      Optional<IngestSummary> none = SubmissionIngestJob.nothingNew(config.lakehouse(), PayableConfig.toUri(landing), HadoopSettings.configuration(config));
      IngestSummary s = none.isPresent() ? skippedSpark(none.get()) : new SubmissionIngestJob(lakehouse.open()).run(PayableConfig.toUri(landing));
      System.out.print(s.render(byContributor));
      return 0;
    }
  }

  /** {@code payable ingest inferences}. */
  @Command(
      name = "inferences",
      mixinStandardHelpOptions = true,
      description = {
      "Validates inference logs (JSONL: inference_id, ts, model_id, adapter_id, prompt, output, fee_wei, retrieved, requester) into `inferences`; rejects go to `quarantine`."
    })
  static final class Inferences implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Option(names = "--landing", required = true, paramLabel = "URI", description = "Landing zone: a directory or s3a://bucket/prefix.")
    String landing;

    @Option(names = "--by-requester", description = "Break the summary down per requester.")
    boolean byRequester;

    @Override
    public Integer call() {
      PayableConfig config = lakehouse.config();
      Optional<IngestSummary> none = InferenceIngestJob.nothingNew(config.lakehouse(), PayableConfig.toUri(landing), HadoopSettings.configuration(config));
      IngestSummary s = none.isPresent() ? skippedSpark(none.get()) : new InferenceIngestJob(lakehouse.open()).run(PayableConfig.toUri(landing));
      System.out.print(s.render(byRequester));
      return 0;
    }
  }
}
