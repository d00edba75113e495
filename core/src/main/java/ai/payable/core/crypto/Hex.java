package ai.payable.core.crypto;

/** Lowercase {@code 0x}-prefixed hex, the way Ethereum tools print bytes. */
public final class Hex {

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Encodes bytes as {@code 0x…} lowercase hex. */
  public static String encode(byte[] bytes) {
    char[] out = new char[2 + bytes.length * 2];
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < bytes.length; i++) {
      out[2 + 2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
      out[3 + 2 * i] = DIGITS[bytes[i] & 0xF];
    }
    return new String(out);
  }

  /**
   * Decodes {@code 0x}-prefixed (or bare) hex of an even length.
   *
   * @throws IllegalArgumentException naming the offending character or length
   */
  public static byte[] decode(String hex) {
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException("hex string has an odd number of digits: " + abbreviate(hex));
    }
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(digits.charAt(2 * i), 16);
      int lo = Character.digit(digits.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException(
            "not a hex digit at position " + (2 * i + (hi < 0 ? 0 : 1)) + " in " + abbreviate(hex));
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** True when {@code s} is {@code 0x} followed by exactly {@code bytes * 2} hex digits. */
  public static boolean isHex(String s, int bytes) {
    if (s == null || s.length() != 2 + bytes * 2 || !(s.startsWith("0x") || s.startsWith("0X"))) {
      return false;
    }
    for (int i = 2; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 77) + "...'";
  }
}
