package ai.payable.cli;

import ai.payable.core.identity.SigningKeys;
import java.nio.file.Path;
import org.web3j.crypto.ECKeyPair;
import picocli.CommandLine.Option;

/**
 * Where a command's signing key comes from: a keystore file (password in
 * {@code $PAYABLE_KEYSTORE_PASSWORD}) or an environment variable. Used as an exclusive, required
 * {@code @ArgGroup}; the key is never printed.
 */
public final class KeyOptions {

  @Option(names = "--keystore", paramLabel = "FILE", description = "Web3 Secret Storage keystore; password in $PAYABLE_KEYSTORE_PASSWORD.")
  Path keystore;

  @Option(names = "--private-key-env", paramLabel = "VAR", description = "Name of an environment variable holding the hex private key.")
  String env;

  /** Loads the key from whichever source was given. */
  public ECKeyPair load() {
    return keystore != null
        ? SigningKeys.fromKeystore(keystore, SigningKeys.PASSWORD_ENV, System.getenv())
        : SigningKeys.fromEnv(env, System.getenv());
  }
}
