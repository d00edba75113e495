package ai.payable.cli.keystore;

import ai.payable.core.identity.SigningKeys;
import java.io.Console;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code payable keystore new}. */
@Command(
    name = "keystore",
    mixinStandardHelpOptions = true,
    description = "Signing keys for contributors and operators, kept in standard Web3 Secret Storage files.",
    subcommands = {KeystoreCommand.New.class})
public final class KeystoreCommand {

  /** {@code payable keystore new [--dir DIR]}. */
  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a new signing key and writes it, encrypted with your password (scrypt, the standard Web3 Secret Storage format that geth, "
            + "MetaMask imports and web3j read), to a file in DIR named UTC--<time>--<address>. Prints the address and the file, never the key.",
        "",
        "The password comes from $PAYABLE_KEYSTORE_PASSWORD when set (as `datanet sign` and `claim` read it), else it is asked twice without "
            + "echo. Keep the file and the password: neither can be recovered, and rewards are paid to the address.",
        "",
        "Then sign your records: payable datanet sign --in my-records.jsonl --out signed.jsonl --keystore FILE"
      })
  public static final class New implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.payable/keystore",
        description = "Folder for the keystore file (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      SigningKeys.NewKeystore created = SigningKeys.newKeystore(dir, password());
      Path file = created.file();
      System.out.println("address  " + created.address().checksummed());
      System.out.println("keystore " + file.toAbsolutePath());
      System.out.println("sign     payable datanet sign --in my-records.jsonl --out signed.jsonl --keystore " + file.toAbsolutePath());
      return 0;
    }

    private static String password() {
      String fromEnv = System.getenv(SigningKeys.PASSWORD_ENV);
      if (fromEnv != null) {
        return fromEnv;
      }
      Console console = System.console();
      if (console == null) {
        throw new IllegalArgumentException("no terminal to ask for a password: set it in $" + SigningKeys.PASSWORD_ENV);
      }
      char[] first = console.readPassword("password for the new key: ");
      char[] again = console.readPassword("the same password again: ");
      try {
        if (first == null || again == null || !Arrays.equals(first, again)) {
          throw new IllegalArgumentException("the two passwords differ; nothing was written");
        }
        return new String(first);
      } finally {
        if (first != null) {
          Arrays.fill(first, ' ');
        }
        if (again != null) {
          Arrays.fill(again, ' ');
        }
      }
    }
  }
}
