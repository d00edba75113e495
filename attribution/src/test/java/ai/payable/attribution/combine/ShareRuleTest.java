package ai.payable.attribution.combine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.AttributionMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented combination rule, step by step. */
class ShareRuleTest {

  @Test
  void clipsNormalisesMixesAndCuts() {
    ShareRule rule = new ShareRule(Map.of(AttributionMethod.GRADIENT, 0.5, AttributionMethod.SPAN, 0.3, AttributionMethod.RETRIEVAL, 0.2), 3, 0.05);
    List<ShareRule.Share> shares = rule.combine(Map.of(
        AttributionMethod.GRADIENT, Map.of("a", 3.0, "b", 1.0, "harmful", -5.0),
        AttributionMethod.SPAN, Map.of("b", 2.0, "c", 2.0),
        AttributionMethod.RETRIEVAL, Map.of()));
    // gradient: a .75, b .25; span: b .5, c .5; mixed over gradient+span (weights .5/.3 → .625/.375).
    assertEquals(List.of("a", "b", "c"), shares.stream().map(ShareRule.Share::recordId).toList());
    assertEquals(0.625 * 0.75, shares.get(0).share(), 1e-12);
    assertEquals(0.625 * 0.25 + 0.375 * 0.5, shares.get(1).share(), 1e-12);
    assertEquals(AttributionMethod.SPAN, shares.get(1).method(), "span contributes more to b");
    assertEquals(1.0, shares.stream().mapToDouble(ShareRule.Share::share).sum(), 1e-12);

    List<ShareRule.Share> top1 = new ShareRule(rule.weights(), 1, 0).combine(Map.of(AttributionMethod.RETRIEVAL, Map.of("x", 0.4, "y", 0.9)));
    assertEquals(List.of(new ShareRule.Share("y", 1.0, AttributionMethod.RETRIEVAL, 0.9)), top1);
    List<ShareRule.Share> floored = new ShareRule(rule.weights(), 10, 0.2).combine(Map.of(AttributionMethod.RETRIEVAL, Map.of("x", 0.1, "y", 0.9)));
    assertEquals(1, floored.size(), "x's 10% is under the 20% floor");
    assertTrue(rule.combine(Map.of(AttributionMethod.GRADIENT, Map.of("a", -1.0))).isEmpty(), "no helpful evidence: fallback");
  }

  @Test
  void readsWeightsAndNamesWhatItCannotRead() {
    assertEquals(Map.of(AttributionMethod.GRADIENT, 0.4, AttributionMethod.SPAN, 0.4, AttributionMethod.RETRIEVAL, 0.2), ShareRule.DEFAULT.weights());
    assertEquals(Map.of(AttributionMethod.SPAN, 1.0), ShareRule.parseWeights(" Span = 1 "));
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> ShareRule.parseWeights("gradiant=0.5,span=0.5"));
    assertTrue(typo.getMessage().contains("'gradiant' is not a method"), typo.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ShareRule.parseWeights("fallback=1"), "the fallback is not weighed");
    IllegalArgumentException number = assertThrows(IllegalArgumentException.class, () -> ShareRule.parseWeights("span=lots"));
    assertTrue(number.getMessage().contains("'span=lots' is not METHOD=NUMBER"), number.getMessage());
  }
}
