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

  @Test
  void typosAndBadValuesNameFileDataNetAndKey() {
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
        () -> DataNetSpecs.parse("datanets:\n  - id: law\n    min_word: 5\n", "f.yaml"));
    assertEquals(true, typo.getMessage().startsWith("f.yaml: datanets[0]: unknown key 'min_word'"), typo.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> DataNetSpecs.parse("datanets:\n  - id: law\n    near_duplicate_similarity: 2\n", "f.yaml"));
    assertEquals("f.yaml: datanets[0] (law): 'near_duplicate_similarity' must be a number in [0.3, 1.0], got 2", range.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DataNetSpecs.parse("datanets:\n  - id: a\n  - id: a\n", "f.yaml"));
    assertThrows(IllegalArgumentException.class, () -> DataNetSpecs.parse("datanets:\n  - id: Bad Id\n", "f.yaml"));
  }
}
