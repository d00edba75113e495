package ai.payable.cli.sample;

import ai.payable.pipelines.sample.SampleSubmissions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code payable sample submissions}: deterministic sample data for demos and benchmarks. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = "Generate deterministic sample data (demo keys only, never real ones).",
    subcommands = {SampleCommand.Submissions.class})
public final class SampleCommand {

  @Command(
      name = "submissions",
      mixinStandardHelpOptions = true,
      description = "Writes datanets.yaml, signed landing/contributor-NN.jsonl files (each record states facts of its own: a made-up skin condition and its protocol, precedent or cultivar), some bad and copied lines, and questions.jsonl: a question about each record's facts with the phrases a right answer states and the record's owner.")
  static final class Submissions implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--records", defaultValue = "3000", description = "Valid records to generate (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--contributors", defaultValue = "12", description = "Contributors, one file each (default: ${DEFAULT-VALUE}).")
    int contributors;

    @Option(names = "--problem-share", defaultValue = "0.08", description = "Extra problem lines per record (default: ${DEFAULT-VALUE}).")
    double problemShare;

    @Option(names = "--day", defaultValue = "2026-11-20", description = "UTC day the records are created (default: ${DEFAULT-VALUE}).")
    String day;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (contributors < 2) {
        throw new IllegalArgumentException("--contributors must be at least 2, got " + contributors);
      }
      SampleSubmissions.Generated g = SampleSubmissions.write(out, records, contributors, problemShare, day, seed);
      System.out.printf("wrote %d lines (%d problem lines) for %d contributors to %s%n", g.lines(), g.problemLines(), g.contributors().size(), out.resolve("landing"));
      System.out.printf("wrote %d questions about the records' facts, each with its owner, to %s (keep it out of the landing zone)%n", g.questions(),
          out.resolve(SampleSubmissions.QUESTIONS));
      return 0;
    }
  }
}
