package ai.payable.benchmarks;

/** Reads {@code --name value} options of a benchmark's command line. */
final class Args {

  private Args() {}

  /** The integer after {@code name} ({@code _} separators allowed), or {@code fallback}. */
  static int intArg(String[] args, String name, int fallback) {
    String v = stringArg(args, name, null);
    return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
  }

  /** The value after {@code name}, or {@code fallback}. */
  static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
