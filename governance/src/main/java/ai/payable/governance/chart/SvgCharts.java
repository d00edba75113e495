package ai.payable.governance.chart;

import ai.payable.governance.stats.Inequality;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The report's charts, drawn by JFreeChart into inline SVG elements (no scripts, no network). */
public final class SvgCharts {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final int WIDTH = 560;
  private static final int HEIGHT = 320;
  private static final Color INK = new Color(0x1f, 0x4e, 0x79);
  private static final Color ACCENT = new Color(0xc0, 0x50, 0x4d);

  private SvgCharts() {}

  /** A histogram of amounts (e.g. contributors' rewards in wei), in {@code bins} bins. */
  public static String histogram(String id, String title, String axis, List<Double> values, int bins) {
    HistogramDataset data = new HistogramDataset();
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    if (v.length > 0) {
      double min = java.util.Arrays.stream(v).min().orElse(0);
      double max = java.util.Arrays.stream(v).max().orElse(1);
      data.addSeries("accounts", v, bins, min, max > min ? max : min + 1);
    }
    JFreeChart chart = ChartFactory.createHistogram(title, axis, "accounts", data, PlotOrientation.VERTICAL, false, false, false);
    XYPlot plot = chart.getXYPlot();
    XYBarRenderer renderer = (XYBarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, INK);
    return svg(id, style(chart));
  }

  /** The Lorenz curve of the amounts, with the line of perfect equality. */
  public static String lorenz(String id, String title, List<Inequality.Point> curve) {
    XYSeries lorenz = new XYSeries("rewards");
    curve.forEach(p -> lorenz.add(p.population(), p.share()));
    XYSeries equality = new XYSeries("equality");
    equality.add(0, 0);
    equality.add(1, 1);
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(lorenz);
    data.addSeries(equality);
    JFreeChart chart = ChartFactory.createXYLineChart(title, "share of accounts (poorest first)", "share of rewards", data, PlotOrientation.VERTICAL, true,
        false, false);
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    renderer.setSeriesPaint(0, INK);
    renderer.setSeriesStroke(0, new BasicStroke(2.5f));
    renderer.setSeriesPaint(1, Color.GRAY);
    renderer.setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
    chart.getXYPlot().getDomainAxis().setRange(0, 1);
    chart.getXYPlot().getRangeAxis().setRange(0, 1);
    return svg(id, style(chart));
  }

  /** {@link #bars(String, String, String, Map, String)} saying "none" when there is nothing to draw. */
  public static String bars(String id, String title, String axis, Map<String, Map<String, Double>> series) {
    return bars(id, title, axis, series, "none");
  }

  /**
   * Bars per category, one series per entry of {@code series} (e.g. "today" and "baseline").
   *
   * @param whenEmpty what the plot says instead of bare axes when no series has a value
   */
  public static String bars(String id, String title, String axis, Map<String, Map<String, Double>> series, String whenEmpty) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    series.forEach((name, values) -> values.forEach((category, value) -> data.addValue(value, name, category)));
    JFreeChart chart = ChartFactory.createBarChart(title, null, axis, data, PlotOrientation.HORIZONTAL, series.size() > 1, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setNoDataMessage(whenEmpty);
    plot.setNoDataMessageFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    // No bars: a scale of 0 to 1 would only suggest a measurement.
    plot.getRangeAxis().setVisible(data.getColumnCount() > 0);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, INK);
    renderer.setSeriesPaint(1, ACCENT);
    return svg(id, style(chart));
  }

  private static JFreeChart style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    chart.getPlot().setBackgroundPaint(new Color(0xf7, 0xf7, 0xf7));
    return chart;
  }

  private static String svg(String id, JFreeChart chart) {
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g.getSVGElement(id);
  }
}
