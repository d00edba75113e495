package ai.payable.pipelines.datanet;

import ai.payable.core.catalog.PiiPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DataNetSpecsTest {

  @Test
  void unsetKeysTakeDefaults() throws Exception {
    DataNetPolicy p = DataNetSpecs.parse("datanets:\n  - id: law\n    pii: redact\n", "f.yaml").get(0);
    assertEquals(List.of("CC-BY-4.0", "CC0-1.0"), p.licenses());
    assertEquals(List.of("en"), p.languages());
    assertEquals(PiiPolicy.REDACT, p.pii());
    assertEquals(20, p.minWords());
    assertEquals(20_000, p.maxChars());
    assertEquals(0.75, p.nearDuplicateSimilarity());
  }

  private static String message(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> DataNetSpecs.parse(yaml, "f.yaml")).getMessage();
  }

  @Test
  void thresholdsOfTheQualityRulesAreRead() throws Exception {
    DataNetPolicy p = DataNetSpecs.parse("datanets:\n  - id: law\n    max_hash_word_ratio: 0.2\n    min_words: 5\n", "f.yaml").get(0);
    assertEquals(0.2, p.threshold(QualityRule.MAX_HASH_WORD_RATIO));
    assertEquals(5, p.minWords());
    assertEquals(QualityRule.MIN_STOP_WORDS.defaultThreshold(), p.threshold(QualityRule.MIN_STOP_WORDS));
  }

  @Test
  void typosAndBadValuesNameFileDataNetAndKey() {
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
        () -> DataNetSpecs.parse("datanets:\n  - id: law\n    min_word: 5\n", "f.yaml"));
    assertEquals(true, typo.getMessage().startsWith("f.yaml: datanets[0]: unknown key 'min_word'"), typo.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> DataNetSpecs.parse("datanets:\n  - id: law\n    near_duplicate_similarity: 2\n", "f.yaml"));
    assertEquals("f.yaml: datanets[0] (law): 'near_duplicate_similarity' must be a number in [0.3, 1.0], got 2", range.getMessage());
    assertEquals("f.yaml: datanets[1] (farm): 'min_words' must be a whole number, got \"5\"", message("datanets:\n  - id: law\n  - id: farm\n    min_words: \"5\"\n"));
    assertEquals("f.yaml: datanets[0] (law): 'min_words' must be a whole number, got 5.5", message("datanets:\n  - id: law\n    min_words: 5.5\n"));
    assertEquals("f.yaml: datanets[0] (law): 'licenses' must be a list, got {\"a\":\"b\"}", message("datanets:\n  - id: law\n    licenses: {a: b}\n"));
    assertEquals("f.yaml: datanets[0] (law): 'max_hash_word_ratio' must be a number in [0.0, 100.0], got high",
        message("datanets:\n  - id: law\n    max_hash_word_ratio: high\n"));
    assertEquals("f.yaml: datanets[0]: expected a mapping with at least 'id', got \"law\"", message("datanets:\n  - law\n"));
    assertEquals("f.yaml: unknown key 'datanet' (known: datanets)", message("datanets: []\ndatanet:\n  - id: law\n"));
    assertEquals("f.yaml: datanets[0] (law): pii must be 'reject' or 'redact', got 'keep'", message("datanets:\n  - id: law\n    pii: keep\n"));
    assertThrows(IllegalArgumentException.class, () -> DataNetSpecs.parse("datanets:\n  - id: a\n  - id: a\n", "f.yaml"));
    assertThrows(IllegalArgumentException.class, () -> DataNetSpecs.parse("datanets:\n  - id: Bad Id\n", "f.yaml"));
  }
}
