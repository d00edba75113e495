package ai.payable.core.identity;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A 20-byte Ethereum account address. Parsing is strict: {@code 0x} and 40 hex digits, and a
 * mixed-case address must carry a valid EIP-55 checksum (all-lower and all-upper are accepted as
 * unchecksummed). Stored and compared in lowercase.
 */
public record Address(String value) implements Serializable, Comparable<Address> {

  public Address {
    if (!Hex.isHex(value, 20) || !value.equals(value.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("address must be 0x + 40 lowercase hex digits: " + value);
    }
  }

  /**
   * Parses an address as a user wrote it.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static Address parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("address is missing");
    }
    if (!text.startsWith("0x")) {
      throw new IllegalArgumentException("address '" + text + "' must start with 0x");
    }
    if (text.length() != 42) {
      throw new IllegalArgumentException(
          "address '" + text + "' has " + (text.length() - 2) + " hex digits, expected 40");
    }
    if (!Hex.isHex(text, 20)) {
      throw new IllegalArgumentException("address '" + text + "' contains a non-hex character");
    }
    String digits = text.substring(2);
    boolean mixedCase =
        !digits.equals(digits.toLowerCase(Locale.ROOT)) && !digits.equals(digits.toUpperCase(Locale.ROOT));
    if (mixedCase && !checksummed(digits.toLowerCase(Locale.ROOT)).equals(text)) {
      throw new IllegalArgumentException("address '" + text + "' has an invalid EIP-55 checksum");
    }
    return new Address("0x" + digits.toLowerCase(Locale.ROOT));
  }

  /** The EIP-55 mixed-case form, as wallets display it. */
  public String checksummed() {
    return checksummed(value.substring(2));
  }

  /** The 20 raw bytes. */
  public byte[] bytes() {
    return Hex.decode(value);
  }

  private static String checksummed(String lowerDigits) {
    byte[] hash = Keccak.hash(lowerDigits.getBytes(StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder("0x");
    for (int i = 0; i < lowerDigits.length(); i++) {
      char c = lowerDigits.charAt(i);
      int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
      out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  @Override
  public int compareTo(Address other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
