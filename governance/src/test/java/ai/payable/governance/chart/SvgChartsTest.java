package ai.payable.governance.chart;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bar chart with nothing to draw says so instead of showing bare axes. */
class SvgChartsTest {

  @Test
  void anEmptyBarChartSaysWhyItIsEmpty() {
    String empty = SvgCharts.bars("chart-q", "Quarantined lines by reason", "lines", Map.of("lines", Map.of()), "No line was quarantined");
    assertTrue(empty.contains("No line was quarantined"), empty);
    assertTrue(SvgCharts.bars("chart-m", "Credit by method", "shares", Map.of()).contains("none"));

    String drawn = SvgCharts.bars("chart-q", "Quarantined lines by reason", "lines", Map.of("lines", Map.of("BAD_SIGNATURE", 3.0)), "No line was quarantined");
    assertTrue(drawn.contains("BAD_SIGNATURE"), "the category is labelled");
    assertFalse(drawn.contains("No line was quarantined"), "a chart with bars has no empty message");
  }
}
