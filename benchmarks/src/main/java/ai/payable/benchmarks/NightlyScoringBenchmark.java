package ai.payable.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.payable.attribution.gradient.FeatureScaling;
import ai.payable.attribution.gradient.GradientScoring;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.core.catalog.GradientFeatureRow;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.lakehouse.SparkSessions;
import ai.payable.training.engine.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * How the nightly gradient scoring grows: {@link GradientScoring} (DataInf, top 50 per answer) as
 * Spark stages over synthetic features generated on the executors, for a grid of answers × records,
 * against the in-memory {@link InfluenceIndex} on the first cell, in the same run. What reaches the
 * driver is each answer's top 50, whatever the number of records.
 * Usage: {@code benchmarks/run nightly [--grid 1000x100000,10000x100000,1000x1000000] [--width 128]}.
 */
public final class NightlyScoringBenchmark {

  private NightlyScoringBenchmark() {}

  private static final StructType FEATURES = new StructType().add("record_id", DataTypes.StringType).add("features",
      DataTypes.createArrayType(DataTypes.FloatType));
  private static final StructType QUERIES = new StructType().add("inference_id", DataTypes.StringType).add("query",
      DataTypes.createArrayType(DataTypes.FloatType));

  public static void main(String[] args) throws Exception {
    String grid = "1000x100000,10000x100000,1000x1000000";
    int width = 128;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--grid" -> grid = args[++i];
        case "--width" -> width = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --grid AxR,..., --width N)");
      }
    }
    int modules = width / 16;
    int dim = 16;
    Path work = Files.createDirectories(Path.of("").toAbsolutePath().resolve("build/bench/nightly"));
    SparkSession spark = SparkSessions.getOrCreate(PayableConfig.from(work.resolve("lh").toString(), Map.of()));
    int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
    boolean first = true;
    for (String cell : grid.split(",")) {
      int answers = Integer.parseInt(cell.split("x")[0]);
      int records = Integer.parseInt(cell.split("x")[1]);
      Dataset<Row> features = synthetic(spark, records, modules * dim, "rec-", 1, FEATURES);
      Dataset<Row> queries = synthetic(spark, answers, modules * dim, "ans-", 2, QUERIES);
      if (first) {
        // Warm-up: classes loaded, JIT compiled, the native engine started.
        GradientScoring.top(features, queries, modules, dim, InfluenceIndex.Estimator.DATAINF, 0.1, FeatureScaling.MODULE_UNIT, 50, partitions);
      }
      long t0 = System.nanoTime();
      Map<String, List<InfluenceIndex.Scored>> top = GradientScoring.top(features, queries, modules, dim, InfluenceIndex.Estimator.DATAINF, 0.1,
          FeatureScaling.MODULE_UNIT, 50, partitions);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long entries = top.values().stream().mapToLong(List::size).sum();
      double pairs = (double) answers * records;
      String baseline = "";
      if (first) {
        double inMemory = inMemory(features, queries, modules, dim);
        baseline = String.format(Locale.ROOT, " in_memory_s=%.2f spark_vs_in_memory=%.2f", inMemory, inMemory / seconds);
        first = false;
      }
      System.out.printf(Locale.ROOT, "RESULT nightly answers=%d records=%d width=%d seconds=%.1f pairs_per_s=%.3g us_per_answer_per_1k_records=%.3f "
          + "driver_entries=%d%s%n", answers, records, width, seconds, pairs / seconds, seconds * 1e6 / answers / (records / 1000.0), entries, baseline);
    }
    spark.stop();
  }

  /** The same scoring with everything collected to one in-memory index: the baseline. */
  private static double inMemory(Dataset<Row> features, Dataset<Row> queries, int modules, int dim) {
    List<Row> f = features.collectAsList();
    List<Row> q = queries.collectAsList();
    List<String> ids = new ArrayList<>();
    float[][] g = new float[f.size()][];
    for (int k = 0; k < g.length; k++) {
      ids.add(f.get(k).getString(0));
      g[k] = GradientFeatureRow.floats(f.get(k).getList(1));
    }
    float[][] v = new float[q.size()][];
    for (int k = 0; k < v.length; k++) {
      v[k] = GradientFeatureRow.floats(q.get(k).getList(1));
    }
    long t0 = System.nanoTime();
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        InfluenceIndex index = InfluenceIndex.build(ids, FeatureScaling.MODULE_UNIT.apply(g, modules, dim), modules, dim, InfluenceIndex.Estimator.DATAINF,
            0.1, manager)) {
      float[][] scaled = FeatureScaling.MODULE_UNIT.apply(v, modules, dim);
      for (int from = 0; from < v.length; from += InfluenceIndex.BLOCK) {
        index.top(Arrays.copyOfRange(scaled, from, Math.min(v.length, from + InfluenceIndex.BLOCK)), 50);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** {@code n} rows of (id, Gaussian vector), generated where Spark runs them, the same for every partitioning. */
  private static Dataset<Row> synthetic(SparkSession spark, long n, int width, String prefix, long salt, StructType schema) {
    MapPartitionsFunction<Long, Row> rows = ids -> {
      List<Row> out = new ArrayList<>();
      while (ids.hasNext()) {
        long id = ids.next();
        SplittableRandom r = new SplittableRandom(id * 31 + salt);
        Float[] x = new Float[width];
        double scale = 0.5 + r.nextDouble();
        for (int j = 0; j < width; j++) {
          x[j] = (float) (r.nextGaussian() * scale);
        }
        out.add(RowFactory.create(String.format(Locale.ROOT, "%s%08d", prefix, id), scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(x)).toSeq()));
      }
      return out.iterator();
    };
    return spark.range(n).as(Encoders.LONG()).mapPartitions(rows, Encoders.row(schema));
  }
}
