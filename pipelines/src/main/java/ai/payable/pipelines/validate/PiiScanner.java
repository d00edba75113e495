package ai.payable.pipelines.validate;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in free text: e-mail addresses, phone numbers, payment card numbers (Luhn
 * checked), IBANs (ISO 13616 mod-97 checked) and public IP addresses. Checksums keep false
 * positives down: a 16-digit order number is only a card number if its Luhn digit agrees.
 */
final class PiiScanner {

  /** The kinds of personal data, in the order overlapping matches are resolved. */
  public enum Kind {
    EMAIL,
    CREDIT_CARD,
    IBAN,
    IP_ADDRESS,
    PHONE
  }

  /** A match: its kind and character range in the scanned text. */
  public record Match(Kind kind, int start, int end) {}

  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}");
  private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
  private static final Pattern IBAN =
      Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b");
  private static final Pattern IPV4 =
      Pattern.compile("(?<![\\d.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
  private static final Pattern PHONE =
      Pattern.compile(
          "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]\\d{2,4}){1,4}(?![\\w])"
              + "|(?<![\\w+])\\+\\d{8,15}(?!\\w)");

  private PiiScanner() {}

  /** Every non-overlapping match in {@code text}, by position. */
  public static List<Match> scan(String text) {
    List<Match> found = new ArrayList<>();
    // Most prose has no '@' and few digits: one pass over the text spares the regexes.
    int digits = 0;
    boolean at = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '@') {
        at = true;
      }
    }
    if (at) {
      find(text, EMAIL, Kind.EMAIL, found);
    }
    if (digits >= 13) {
      find(text, CARD, Kind.CREDIT_CARD, found);
    }
    if (digits >= 4) {
      find(text, IBAN, Kind.IBAN, found);
      find(text, IPV4, Kind.IP_ADDRESS, found);
    }
    if (digits >= 9) {
      find(text, PHONE, Kind.PHONE, found);
    }
    found.sort(Comparator.comparingInt(Match::start));
    return found;
  }

  /** {@code text} with every match replaced by {@code [KIND]}. */
  public static String redact(String text, List<Match> matches) {
    if (matches.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int pos = 0;
    for (Match m : matches) {
      out.append(text, pos, m.start()).append('[').append(m.kind().name()).append(']');
      pos = m.end();
    }
    return out.append(text, pos, text.length()).toString();
  }

  private static void find(String text, Pattern pattern, Kind kind, List<Match> found) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      if (overlaps(found, m.start(), m.end()) || !valid(kind, m)) {
        continue;
      }
      found.add(new Match(kind, m.start(), m.end()));
    }
  }

  private static boolean valid(Kind kind, Matcher m) {
    String s = m.group();
    return switch (kind) {
      case EMAIL -> true;
      case CREDIT_CARD -> luhn(s.replaceAll("[ -]", ""));
      case IBAN -> iban(s.replace(" ", ""));
      case IP_ADDRESS -> publicIpv4(m);
      case PHONE -> {
        int digits = s.replaceAll("\\D", "").length();
        yield digits >= 9 && digits <= 15 && !looksLikeDate(s);
      }
    };
  }

  private static boolean overlaps(List<Match> found, int start, int end) {
    for (Match f : found) {
      if (start < f.end() && f.start() < end) {
        return true;
      }
    }
    return false;
  }

  static boolean luhn(String digits) {
    if (digits.length() < 13 || digits.length() > 19) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return sum % 10 == 0;
  }

  static boolean iban(String iban) {
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    StringBuilder numeric = new StringBuilder();
    for (char c : rearranged.toCharArray()) {
      numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }

  private static boolean publicIpv4(Matcher m) {
    int[] o = new int[4];
    for (int i = 0; i < 4; i++) {
      o[i] = Integer.parseInt(m.group(i + 1));
      if (o[i] > 255) {
        return false;
      }
    }
    boolean notPublic =
        o[0] == 0 || o[0] == 10 || o[0] == 127 || o[0] >= 224
            || (o[0] == 100 && o[1] >= 64 && o[1] <= 127)
            || (o[0] == 169 && o[1] == 254)
            || (o[0] == 172 && o[1] >= 16 && o[1] <= 31)
            || (o[0] == 192 && o[1] == 168)
            || (o[0] == 192 && o[1] == 0 && (o[2] == 0 || o[2] == 2))
            || (o[0] == 198 && (o[1] == 18 || o[1] == 19))
            || (o[0] == 198 && o[1] == 51 && o[2] == 100)
            || (o[0] == 203 && o[1] == 0 && o[2] == 113);
    return !notPublic;
  }

  private static boolean looksLikeDate(String s) {
    return s.matches("\\d{4}[-.]\\d{2}[-.]\\d{2}") || s.matches("\\d{2}[-.]\\d{2}[-.]\\d{4}");
  }
}
