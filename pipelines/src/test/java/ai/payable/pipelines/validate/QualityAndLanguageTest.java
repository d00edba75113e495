package ai.payable.pipelines.validate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.DataNetSpecs;
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

  @Test
  void repetitionSymbolsAndBulletsFail() throws Exception {
    assertTrue(QualityMetrics.of("buy now ".repeat(20)).failures(defaults()).stream().anyMatch(f -> f.startsWith("top 2-gram")));
    assertTrue(QualityMetrics.of("# ## ### #### ".repeat(10) + PROSE).failures(defaults()).stream().anyMatch(f -> f.startsWith("symbol ratio")));
    assertTrue(QualityMetrics.of("- item one here\n".repeat(3) + "- item two here\n- item three here").failures(defaults()).stream()
        .anyMatch(f -> f.startsWith("bullet line ratio") || f.startsWith("duplicate line")));
    assertTrue(QualityMetrics.of("1234 5678 9012 3456 7890 ".repeat(5)).failures(defaults()).stream().anyMatch(f -> f.startsWith("alphabetic")));
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
