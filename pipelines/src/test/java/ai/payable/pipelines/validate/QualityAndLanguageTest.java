package ai.payable.pipelines.validate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.datanet.QualityRule;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityAndLanguageTest {

  private static final String PROSE =
      "Daily sunscreen protects the skin from ultraviolet damage, and most dermatologists suggest a broad"
          + " spectrum product applied twenty minutes before going outside, renewed every two hours.";

  private static DataNetPolicy defaults() throws Exception {
    return DataNetSpecs.parse("datanets:\n  - id: d\n", "t").get(0);
  }

  @Test
  void proseHasNoQualityFailures() throws Exception {
    QualityMetrics m = QualityMetrics.of(PROSE);
    assertEquals(26, m.words());
    assertTrue(m.failures(defaults()).isEmpty(), m.failures(defaults()).toString());
  }

  /** A text breaking each Gopher rule; every rule needs one. */
  private static final String NO_STOP_WORDS =
      "Daily sunscreen protects skin from ultraviolet damage; most dermatologists suggest broad spectrum products applied twenty minutes"
          + " before going outside, renewed every two hours.";

  private static Map<QualityRule, String> breaking() {
    Map<QualityRule, String> m = new EnumMap<>(QualityRule.class);
    m.put(QualityRule.MIN_MEAN_WORD_LENGTH, "it is on to me as we go up so he is in at an ox by my do or if it be of the and all");
    m.put(QualityRule.MAX_MEAN_WORD_LENGTH, "the internationalisation and the characteristically uncharacteristic counterrevolutionaries with "
        + "electroencephalographically indistinguishable incomprehensibilities");
    m.put(QualityRule.MAX_HASH_WORD_RATIO, "#skin #care #daily " + PROSE);
    m.put(QualityRule.MAX_ELLIPSIS_WORD_RATIO, "Well... the skin... and then... so... " + PROSE);
    m.put(QualityRule.MAX_BULLET_LINE_RATIO, "- apply the cream to the skin\n- wait twenty minutes before going out\n- renew it every two hours with care");
    m.put(QualityRule.MAX_ELLIPSIS_LINE_RATIO, PROSE + "\nand then the skin...\nthat we have to treat...");
    m.put(QualityRule.MIN_ALPHA_WORD_FRACTION, "1234 5678 9012 3456 7890 ".repeat(5) + "the and of to");
    m.put(QualityRule.MIN_STOP_WORDS, NO_STOP_WORDS);
    m.put(QualityRule.MAX_DUPLICATE_LINE_FRACTION, PROSE + "\nok\nok\nok");
    m.put(QualityRule.MAX_DUPLICATE_PARAGRAPH_FRACTION, PROSE + "\n\nok\n\nok\n\nok");
    m.put(QualityRule.MAX_DUPLICATE_LINE_CHAR_FRACTION, PROSE + "\n" + PROSE);
    m.put(QualityRule.MAX_DUPLICATE_PARAGRAPH_CHAR_FRACTION, PROSE + "\n\n" + PROSE);
    m.put(QualityRule.MAX_TOP_2GRAM_FRACTION, "buy now ".repeat(20));
    m.put(QualityRule.MAX_TOP_3GRAM_FRACTION, "buy it now ".repeat(20));
    m.put(QualityRule.MAX_TOP_4GRAM_FRACTION, "buy it right now ".repeat(20));
    for (QualityRule r : List.of(QualityRule.MAX_DUPLICATE_5GRAM_FRACTION, QualityRule.MAX_DUPLICATE_6GRAM_FRACTION,
        QualityRule.MAX_DUPLICATE_7GRAM_FRACTION, QualityRule.MAX_DUPLICATE_8GRAM_FRACTION, QualityRule.MAX_DUPLICATE_9GRAM_FRACTION,
        QualityRule.MAX_DUPLICATE_10GRAM_FRACTION)) {
      m.put(r, PROSE + " " + PROSE);
    }
    return m;
  }

  @Test
  void eachGopherRuleCatchesTheTextThatBreaksIt() throws Exception {
    Map<QualityRule, String> examples = breaking();
    assertEquals(EnumSet.allOf(QualityRule.class), examples.keySet(), "every rule needs a breaking example");
    for (Map.Entry<QualityRule, String> e : examples.entrySet()) {
      List<String> failures = QualityMetrics.of(e.getValue()).failures(defaults());
      assertTrue(failures.stream().anyMatch(f -> f.startsWith(e.getKey().key() + ": ")), e.getKey() + " not caught in " + failures);
    }
  }

  @Test
  void aFailureNamesTheRuleItsValueAndTheThreshold() throws Exception {
    assertEquals(List.of("min_stop_words: distinct stop words (the, be, to, of, and, that, have, with) 0 below 1"),
        QualityMetrics.of(NO_STOP_WORDS).failures(defaults()));
    DataNetPolicy relaxed = DataNetSpecs.parse("datanets:\n  - id: d\n    min_stop_words: 0\n", "t").get(0);
    assertTrue(QualityMetrics.of(NO_STOP_WORDS).failures(relaxed).isEmpty());
  }

  @Test
  void duplicatedNgramsAreCountedOnceWhereRepeatsOverlap() {
    // "a b c d e" five times: the scan counts each repeat once and jumps past it (4 repeats × 5 chars).
    QualityMetrics m = QualityMetrics.of("a b c d e ".repeat(5).strip());
    assertEquals(20.0 / 49, m.value(QualityRule.MAX_DUPLICATE_5GRAM_FRACTION), 1e-9);
  }

  @Test
  void identifiesLanguages() {
    assertEquals("en", LanguageIdentifier.identify(PROSE));
    assertEquals("de", LanguageIdentifier.identify("Tägliche Sonnencreme schützt die Haut vor Schäden durch ultraviolettes Licht, und die meisten Hautärzte empfehlen ein Produkt mit breitem Spektrum."));
    assertEquals("fr", LanguageIdentifier.identify("La crème solaire quotidienne protège la peau des dommages causés par les ultraviolets, et la plupart des dermatologues recommandent un produit à large spectre."));
  }

  @Test
  void shinglesIgnoreCaseWhitespaceAndPunctuation() {
    long[] a = ContentFingerprint.shingles(PROSE);
    assertArrayEquals(a, ContentFingerprint.shingles(PROSE.toUpperCase().replace(",", "").replace(" ", "  ")));
    assertEquals(ContentFingerprint.words(PROSE).length - 1, a.length, "one shingle per word pair of " + PROSE);
    assertEquals(1, ContentFingerprint.shingles("Sunscreen.").length);
    assertEquals(0, ContentFingerprint.shingles(" ... ").length);
  }
}
