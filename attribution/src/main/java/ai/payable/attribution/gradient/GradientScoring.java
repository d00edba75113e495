package ai.payable.attribution.gradient;

import ai.djl.ndarray.NDManager;
import ai.payable.core.catalog.GradientFeatureRow;
import ai.payable.training.engine.Engines;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * {@link InfluenceIndex}'s scoring as Spark stages, for an adapter with any number of training
 * records and a night with any number of answers: the DataInf statistics are mergeable aggregates
 * over the partitions of {@code gradient_features}; records become helpfulness vectors where they
 * are read, in blocks; every block of records meets every block of answers' query gradients in one
 * exact matrix product, which keeps each answer's best {@code k}; the per-block bests are merged by
 * answer in a shuffle. The driver receives only each answer's top {@code k}. Scores are exact
 * integer products ({@link IntegerVector}) and ties rank by record id, so the result is the same
 * for any partitioning, any number of executors and any CPU.
 */
public final class GradientScoring {

  /** Records per block: a block's vectors (records × width doubles) stay well under 100 MB at widths of a few thousand. */
  public static final int RECORD_BLOCK = 2048;

  /** Answers per block. */
  public static final int QUERY_BLOCK = 512;

  private GradientScoring() {}

  /** A block of vectors with their ids. */
  record Block(List<String> ids, List<IntegerVector> vectors) implements Serializable {}

  /**
   * The {@code k} most helpful training records of each answer.
   *
   * @param features rows of {@code record_id} (string) and {@code features} (array of float), one adapter's
   * @param queries rows of {@code inference_id} (string) and {@code query} (array of float)
   * @param scaling applied to records' features and answers' query gradients alike before scoring
   * @param partitions partitions of the merge shuffle
   * @return inference id → its best records, most helpful first
   */
  public static Map<String, List<InfluenceIndex.Scored>> top(Dataset<Row> features, Dataset<Row> queries, int modules, int dim,
      InfluenceIndex.Estimator estimator, double damping, FeatureScaling scaling, int k, int partitions) {
    JavaRDD<Tuple2<String, float[]>> records = features.select("record_id", "features").javaRDD()
        .map(r -> new Tuple2<>(r.getString(0), scaled(r.getString(0), GradientFeatureRow.floats(r.getList(1)), scaling, modules, dim)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      DataInfStatistics.Preconditioner preconditioner = null;
      if (estimator == InfluenceIndex.Estimator.DATAINF) {
        JavaRDD<float[]> g = records.map(Tuple2::_2);
        DataInfStatistics.Scale scale = g.aggregate(new DataInfStatistics.Scale(modules, dim), DataInfStatistics.Scale::add,
            DataInfStatistics.Scale::merge);
        if (scale.records() == 0) {
          return Map.of();
        }
        DataInfStatistics.Damping sums = g.aggregate(new DataInfStatistics.Damping(scale), DataInfStatistics.Damping::add,
            DataInfStatistics.Damping::merge);
        preconditioner = g.aggregate(new DataInfStatistics.Curvature(scale, sums.lambdas(damping)), DataInfStatistics.Curvature::add,
            DataInfStatistics.Curvature::merge).preconditioner();
      }
      DataInfStatistics.Preconditioner p = preconditioner;
      int width = modules * dim;
      // Both sides are kept: the cartesian product reads every block of one side once per partition of the other.
      JavaRDD<Block> recordBlocks = records.mapPartitions(it -> blocks(it, RECORD_BLOCK, width, p)).persist(StorageLevel.MEMORY_AND_DISK());
      JavaRDD<Block> queryBlocks = queries.select("inference_id", "query").javaRDD()
          .map(r -> new Tuple2<>(r.getString(0), scaled(r.getString(0), GradientFeatureRow.floats(r.getList(1)), scaling, modules, dim)))
          .mapPartitions(it -> blocks(it, QUERY_BLOCK, width, null))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        JavaPairRDD<String, List<InfluenceIndex.Scored>> best = recordBlocks.cartesian(queryBlocks)
            .flatMapToPair(pair -> score(pair._1(), pair._2(), k))
            .reduceByKey((a, b) -> merge(a, b, k), partitions);
        return best.collectAsMap();
      } finally {
        recordBlocks.unpersist(false);
        queryBlocks.unpersist(false);
      }
    } finally {
      records.unpersist(false);
    }
  }

  /** {@code g} scaled, failing with the id of a row of the wrong width. */
  private static float[] scaled(String id, float[] g, FeatureScaling scaling, int modules, int dim) {
    if (g.length != modules * dim) {
      throw new IllegalArgumentException(id + " has " + g.length + " gradient features, expected " + modules + " modules × " + dim);
    }
    return scaling.apply(g, modules, dim);
  }

  /** Cuts a partition into blocks; records are turned into helpfulness vectors ({@code p}, or TracIn's g when null), queries kept as they are. */
  private static Iterator<Block> blocks(Iterator<Tuple2<String, float[]>> rows, int size, int width, DataInfStatistics.Preconditioner p) {
    List<Block> out = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<IntegerVector> vectors = new ArrayList<>();
    while (rows.hasNext()) {
      Tuple2<String, float[]> row = rows.next();
      ids.add(row._1());
      vectors.add(p == null ? IntegerVector.of(row._2()) : IntegerVector.of(p.helpfulness(row._2())));
      if (ids.size() == size || !rows.hasNext()) {
        out.add(new Block(List.copyOf(ids), List.copyOf(vectors)));
        ids.clear();
        vectors.clear();
      }
    }
    return out.iterator();
  }

  private static Iterator<Tuple2<String, List<InfluenceIndex.Scored>>> score(Block records, Block queries, int k) {
    List<Tuple2<String, List<InfluenceIndex.Scored>>> out = new ArrayList<>(queries.ids().size());
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        InfluenceIndex index = InfluenceIndex.of(records.ids(), records.vectors(), manager)) {
      List<List<InfluenceIndex.Scored>> top = index.top(queries.vectors(), k);
      for (int q = 0; q < top.size(); q++) {
        out.add(new Tuple2<>(queries.ids().get(q), top.get(q)));
      }
    }
    return out.iterator();
  }

  private static List<InfluenceIndex.Scored> merge(List<InfluenceIndex.Scored> a, List<InfluenceIndex.Scored> b, int k) {
    List<InfluenceIndex.Scored> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    all.sort(InfluenceIndex.BEST_FIRST);
    return new ArrayList<>(all.subList(0, Math.min(k, all.size())));
  }
}
