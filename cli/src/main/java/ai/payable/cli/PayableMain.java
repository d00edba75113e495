package ai.payable.cli;

import picocli.CommandLine;

/** Entry point of the {@code payable} command, for people and for spark-submit alike. */
public final class PayableMain {

  private PayableMain() {}

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }

  /** The configured command line, also used by tests to run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new PayableCommand());
    cli.setExecutionExceptionHandler(new FriendlyErrors());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setUsageHelpAutoWidth(true);
    return cli;
  }
}
