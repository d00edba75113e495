package ai.payable.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs {@code payable} in-process as a user would, capturing exit code, stdout and stderr. */
public final class Cli {

  /** What the cli module's surefire configuration puts in $PAYABLE_KEYSTORE_PASSWORD. */
  static final String KEYSTORE_PASSWORD = "cli-test-keystore-password";

  /** A finished run: exit code, stdout, and stderr. */
  public record Run(int code, String out, String err) {}

  private Cli() {}

  /** Runs {@code payable args}; {@code err} holds picocli's error stream, then what went to System.err (progress). */
  public static Run run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = PayableMain.commandLine();
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err + progress.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
