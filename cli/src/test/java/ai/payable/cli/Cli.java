package ai.payable.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs {@code payable} in-process as a user would, capturing exit code, stdout and stderr. */
final class Cli {

  /** What the cli module's surefire configuration puts in $PAYABLE_KEYSTORE_PASSWORD. */
  static final String KEYSTORE_PASSWORD = "cli-test-keystore-password";

  record Run(int code, String out, String err) {}

  private Cli() {}

  static Run run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = PayableMain.commandLine();
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(original);
    }
  }
}
