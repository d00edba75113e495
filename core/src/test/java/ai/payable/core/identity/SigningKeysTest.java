package ai.payable.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.WalletUtils;

/** Keys load from a keystore or the environment, and no error ever repeats a secret. */
class SigningKeysTest {

  @TempDir Path dir;

  @Test
  void keystoreNeedsItsPasswordFromTheEnvironment() throws Exception {
    ECKeyPair key = ECKeyPair.create(BigInteger.valueOf(4242));
    Path file = dir.resolve(WalletUtils.generateWalletFile("s3cret", key, dir.toFile(), false));
    assertEquals(key.getPrivateKey(), SigningKeys.fromKeystore(file, "PW", Map.of("PW", "s3cret")).getPrivateKey());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromKeystore(file, "PW", Map.of()));
    assertEquals("set the keystore password in $PW to unlock " + file, missing.getMessage());
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromKeystore(file, "PW", Map.of("PW", "guess")));
    assertEquals("cannot unlock keystore " + file + ": wrong password in $PW?", wrong.getMessage());
  }

  @Test
  void environmentKeysAreCheckedWithoutEchoingThem() {
    String hex = "0x" + "4f".repeat(32);
    assertEquals(new BigInteger("4f".repeat(32), 16), SigningKeys.fromEnv("K", Map.of("K", hex)).getPrivateKey());
    IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromEnv("K", Map.of("K", "0x1234abcd")));
    assertEquals("$K is not a 32-byte hex private key", shortKey.getMessage(), "the message names the variable, never its value");
    IllegalArgumentException notHex = assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromEnv("K", Map.of("K", "0x" + "4g".repeat(32))));
    assertEquals("$K is not a 32-byte hex private key", notHex.getMessage());
    IllegalArgumentException unset = assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromEnv("K", Map.of()));
    assertEquals("environment variable $K holds no private key", unset.getMessage());
  }

  @Test
  void newKeystoresHoldFreshKeysAndRefuseAnEmptyPassword() throws Exception {
    SigningKeys.NewKeystore a = SigningKeys.newKeystore(dir.resolve("keys"), "s3cret");
    SigningKeys.NewKeystore b = SigningKeys.newKeystore(dir.resolve("keys"), "s3cret");
    assertFalse(a.address().equals(b.address()), "every key is new");
    assertEquals(a.address(), Address.parse("0x" + org.web3j.crypto.Keys.getAddress(SigningKeys.fromKeystore(a.file(), "PW", Map.of("PW", "s3cret")))));
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> SigningKeys.newKeystore(dir.resolve("other"), ""));
    assertEquals("an empty password protects nothing: choose one (it cannot be recovered if lost)", empty.getMessage());
  }
}
