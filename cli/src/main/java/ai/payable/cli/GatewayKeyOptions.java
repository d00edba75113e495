package ai.payable.cli;

import ai.payable.core.identity.SigningKeys;
import ai.payable.core.inference.GatewaySigner;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The key a gateway signs its inference logs with; registered with {@code payable gateway register}. */
public final class GatewayKeyOptions {

  @Option(names = "--gateway-keystore", paramLabel = "FILE", description = "The gateway's keystore; password in $PAYABLE_KEYSTORE_PASSWORD.")
  Path keystore;

  @Option(names = "--gateway-key-env", paramLabel = "VAR", description = "Name of an environment variable holding the gateway's hex private key.")
  String env;

  /** The signer, from whichever source was given. */
  public GatewaySigner load() {
    return new GatewaySigner(keystore != null
        ? SigningKeys.fromKeystore(keystore, SigningKeys.PASSWORD_ENV, System.getenv())
        : SigningKeys.fromEnv(env, System.getenv()));
  }
}
