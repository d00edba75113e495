package ai.payable.cli;

import ai.payable.core.stage.MissingInputException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns the errors a user can fix (bad input, missing setup) into one clear line on stderr and
 * exit code 1; anything else is a bug and keeps its stack trace. {@code PAYABLE_DEBUG=1} shows
 * stack traces for everything. A stage's {@link MissingInputException} gets the command that
 * supplies what is missing: stages name remedies, only the CLI knows its commands.
 */
final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    boolean userError =
        e instanceof IllegalArgumentException
            || e instanceof IllegalStateException
            || e instanceof UncheckedIOException
            || e instanceof java.io.IOException
            || e instanceof org.apache.spark.sql.AnalysisException;
    if (userError && System.getenv("PAYABLE_DEBUG") == null) {
      String hint = e instanceof MissingInputException missing ? "; " + hint(missing) : "";
      cli.getErr().println(cli.getColorScheme().errorText("error: " + e.getMessage() + hint));
      return 1;
    }
    e.printStackTrace(cli.getErr());
    return 1;
  }

  /** How to supply what a stage found missing, in commands of this CLI. */
  static String hint(MissingInputException e) {
    String epoch = e.epoch().map(String::valueOf).orElse("YYYY-MM-DD");
    return switch (e.remedy()) {
      case REGISTER_DATANETS -> "run `payable datanet register --file datanets.yaml` first";
      case TRAIN_MODEL -> "train it first (`payable train --spec …`) or list models with `payable sql \"SELECT model_id, name, kind FROM models\"`";
      case ATTRIBUTE_AND_BUILD -> "run `payable attribute --epoch " + epoch + "` and `payable rewards build --epoch " + epoch + "` first";
      case BUILD_DISTRIBUTION -> "run `payable rewards build --epoch " + epoch + "` first";
      case USE_ACCEPTED_DISTRIBUTION -> "use the distribution of the accepted epoch (`payable rewards status` shows it)";
    };
  }
}
