package ai.payable.cli.ingest;

import ai.payable.cli.LakehouseOption;
import ai.payable.core.config.PayableConfig;
import ai.payable.pipelines.ingest.IngestSummary;
import ai.payable.pipelines.ingest.InferenceIngestJob;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
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
      IngestSummary s = new SubmissionIngestJob(lakehouse.open()).run(PayableConfig.toUri(landing));
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
      IngestSummary s = new InferenceIngestJob(lakehouse.open()).run(PayableConfig.toUri(landing));
      System.out.print(s.render(byRequester));
      return 0;
    }
  }
}
