package ai.payable.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns the errors a user can fix (bad input, missing setup) into one clear line on stderr and
 * exit code 1; anything else is a bug and keeps its stack trace. {@code PAYABLE_DEBUG=1} shows
 * stack traces for everything.
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
      cli.getErr().println(cli.getColorScheme().errorText("error: " + e.getMessage()));
      return 1;
    }
    e.printStackTrace(cli.getErr());
    return 1;
  }
}
