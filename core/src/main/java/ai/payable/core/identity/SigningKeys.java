package ai.payable.core.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Map;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

/**
 * Loads a private key without ever printing or storing it: from a Web3 Secret Storage keystore
 * file (what geth, web3j and most wallets export) whose password is in an environment variable,
 * or from an environment variable holding the hex key. Error messages name the file or variable,
 * never the secret.
 */
public final class SigningKeys {

  /** Default variable for a keystore's password. */
  public static final String PASSWORD_ENV = "PAYABLE_KEYSTORE_PASSWORD";

  private SigningKeys() {}

  /** Decrypts a keystore file with the password in {@code passwordEnv}. */
  public static ECKeyPair fromKeystore(Path keystore, String passwordEnv, Map<String, String> env) {
    if (!Files.isRegularFile(keystore)) {
      throw new IllegalArgumentException("keystore " + keystore + " does not exist");
    }
    String password = env.get(passwordEnv);
    if (password == null) {
      throw new IllegalArgumentException("set the keystore password in $" + passwordEnv + " to unlock " + keystore);
    }
    try {
      return WalletUtils.loadCredentials(password, keystore.toFile()).getEcKeyPair();
    } catch (CipherException e) {
      throw new IllegalArgumentException("cannot unlock keystore " + keystore + ": wrong password in $" + passwordEnv + "?");
    } catch (IOException e) {
      throw new IllegalArgumentException("keystore " + keystore + " is not a readable Web3 Secret Storage file: " + e.getMessage());
    }
  }

  /**
   * A new key, drawn from the platform's secure random source, written to {@code dir} as a Web3
   * Secret Storage file with the standard scrypt parameters (as geth writes them, named
   * {@code UTC--<time>--<address>}) and readable by its owner only where the file system allows.
   *
   * @return the keystore file and the key's address
   */
  public static NewKeystore newKeystore(Path dir, String password) throws IOException {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("an empty password protects nothing: choose one (it cannot be recovered if lost)");
    }
    Files.createDirectories(dir);
    ECKeyPair key;
    try {
      key = Keys.createEcKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no secure random source for keys: " + e.getMessage(), e);
    }
    Path file;
    try {
      file = dir.resolve(WalletUtils.generateWalletFile(password, key, dir.toFile(), true));
    } catch (CipherException e) {
      throw new IllegalStateException("cannot encrypt the new key: " + e.getMessage(), e);
    }
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the folder's own permissions apply.
    }
    return new NewKeystore(file, Address.parse("0x" + Keys.getAddress(key)));
  }

  /** A keystore {@link #newKeystore} wrote, and the address its key signs for. */
  public record NewKeystore(Path file, Address address) {}

  /** Reads a hex private key ({@code 0x} optional) from environment variable {@code name}. */
  public static ECKeyPair fromEnv(String name, Map<String, String> env) {
    String hex = env.get(name);
    if (hex == null || hex.isBlank()) {
      throw new IllegalArgumentException("environment variable $" + name + " holds no private key");
    }
    String digits = hex.strip().startsWith("0x") ? hex.strip().substring(2) : hex.strip();
    if (!digits.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("$" + name + " is not a 32-byte hex private key");
    }
    return ECKeyPair.create(new BigInteger(digits, 16));
  }
}
