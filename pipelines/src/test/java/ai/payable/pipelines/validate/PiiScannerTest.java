package ai.payable.pipelines.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.pipelines.validate.PiiScanner.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiScannerTest {

  private static List<Kind> kinds(String text) {
    return PiiScanner.scan(text).stream().map(PiiScanner.Match::kind).toList();
  }

  @Test
  void findsEachKindOfPersonalData() {
    assertEquals(List.of(Kind.EMAIL), kinds("write to jane.doe+skin@clinic.example.org today"));
    assertEquals(List.of(Kind.CREDIT_CARD), kinds("card 4111 1111 1111 1111 expires soon"));
    assertEquals(List.of(Kind.IBAN), kinds("pay to GB82 WEST 1234 5698 7654 32 please"));
    assertEquals(List.of(Kind.IP_ADDRESS), kinds("the server at 8.8.4.4 answered"));
    assertEquals(List.of(Kind.PHONE), kinds("call +1 415 555 0132 after six"));
    assertEquals(List.of(Kind.PHONE), kinds("call (415) 555-0132 after six"));
  }

  @Test
  void checksumsAndRangesKeepFalsePositivesOut() {
    assertTrue(kinds("order 4111 1111 1111 1112 shipped").isEmpty(), "Luhn fails");
    assertTrue(!kinds("code GB82 WEST 1234 5698 7654 33").contains(Kind.IBAN), "mod 97 fails");
    assertTrue(kinds("router at 192.168.1.1 and 10.0.0.8 and 127.0.0.1").isEmpty(), "private ranges");
    assertTrue(kinds("version 1.2.3.4567 and 300.1.1.1").isEmpty(), "not addresses");
    assertTrue(kinds("on 2026-11-20 at 10:00, 3 of 12 patients").isEmpty(), "dates and counts");
  }

  @Test
  void redactionReplacesEveryMatch() {
    String text = "mail a@b.io or call +44 20 7946 0958";
    assertEquals("mail [EMAIL] or call [PHONE]", PiiScanner.redact(text, PiiScanner.scan(text)));
  }
}
