package ai.payable.attribution.gradient;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Gradient influence of an adapter's training records on answers, from the projected per-record
 * LoRA gradients g_k (module after module) and an answer's query gradient v, projected alike.
 *
 * <ul>
 *   <li><b>TracIn</b> (Pruthi et al. 2020, one checkpoint): {@code v·g_k}, summed over modules. A
 *       positive value means a step on record k lowers the answer's loss: helpful.
 *   <li><b>DataInf</b> (Kwon et al. 2024): per module l with damping λ_l,
 *       {@code I(k) = Σ_l (1/λ_l) [ (1/n) Σ_i (v_l·g_{l,i})(g_{l,i}·g_{l,k}) / (λ_l + ‖g_{l,i}‖²) − v_l·g_{l,k} ]},
 *       negative when record k helped. The bracket is linear in v_l, so each record gets a vector
 *       once per model ({@link DataInfStatistics.Preconditioner}), and an answer costs one dot
 *       product per record. λ_l is {@code damping} × the mean of ‖g_{l,i}‖².
 * </ul>
 *
 * Scores come out as helpfulness (TracIn as is, DataInf negated). Record vectors and queries are
 * {@link IntegerVector}s, so a block of answers against a block of records is one double matrix
 * product that is exact: an answer's scores are the same bits whatever else is scored with it, on
 * any CPU, in any Spark task. Ties rank by record id.
 */
public final class InfluenceIndex implements AutoCloseable {

  /** Which estimator the index scores with. */
  public enum Estimator {
    TRACIN,
    DATAINF
  }

  /** Queries scored per matrix product, to bound memory. */
  public static final int BLOCK = 256;

  private final List<String> recordIds;
  private final int width;
  private final NDManager manager;
  private final NDArray valuesT; // [width, n], integers as doubles
  private final double[] scales;

  private InfluenceIndex(List<String> recordIds, int width, NDManager manager, NDArray valuesT, double[] scales) {
    this.recordIds = recordIds;
    this.width = width;
    this.manager = manager;
    this.valuesT = valuesT;
    this.scales = scales;
  }

  /**
   * Builds the index of {@code features} ({@code n × modules·dim}, module after module) in memory:
   * what a researcher or a test uses; the nightly job runs the same steps as Spark stages.
   *
   * @param damping DataInf's λ_l as a multiple of the mean squared gradient norm of module l
   */
  public static InfluenceIndex build(List<String> recordIds, float[][] features, int modules, int dim, Estimator estimator, double damping,
      NDManager parent) {
    if (features.length == 0 || features.length != recordIds.size()) {
      throw new IllegalArgumentException("need one feature vector per record: " + features.length + " vectors for " + recordIds.size() + " records");
    }
    List<IntegerVector> vectors = new ArrayList<>(features.length);
    if (estimator == Estimator.DATAINF) {
      DataInfStatistics.Preconditioner p = DataInfStatistics.preconditioner(Arrays.asList(features), modules, dim, damping);
      for (float[] g : features) {
        vectors.add(IntegerVector.of(p.helpfulness(g)));
      }
    } else {
      for (int k = 0; k < features.length; k++) {
        if (features[k].length != modules * dim) {
          throw new IllegalArgumentException("record " + recordIds.get(k) + " has " + features[k].length + " features, expected " + modules * dim);
        }
        vectors.add(IntegerVector.of(features[k]));
      }
    }
    return of(recordIds, vectors, parent);
  }

  /** An index of records' ready helpfulness vectors (as {@link DataInfStatistics.Preconditioner#helpfulness} or TracIn's g). */
  public static InfluenceIndex of(List<String> recordIds, List<IntegerVector> vectors, NDManager parent) {
    int n = vectors.size();
    int width = vectors.get(0).values().length;
    double[] flat = new double[width * n];
    double[] scales = new double[n];
    for (int k = 0; k < n; k++) {
      double[] v = vectors.get(k).values();
      if (v.length != width) {
        throw new IllegalArgumentException("record " + recordIds.get(k) + " has " + v.length + " features, expected " + width);
      }
      for (int j = 0; j < width; j++) {
        flat[j * n + k] = v[j];
      }
      scales[k] = vectors.get(k).scale();
    }
    NDManager own = parent.newSubManager();
    return new InfluenceIndex(List.copyOf(recordIds), width, own, own.create(flat, new Shape(width, n)), scales);
  }

  /** The indexed records, in column order. */
  public List<String> recordIds() {
    return recordIds;
  }

  /** Helpfulness of every record for each query: {@code [queries][records]}. */
  public double[][] scores(float[][] queries) {
    return scores(integers(queries));
  }

  /** Helpfulness of every record for each query vector. */
  public double[][] scores(List<IntegerVector> queries) {
    double[][] out = new double[queries.size()][];
    int n = recordIds.size();
    for (int from = 0; from < queries.size(); from += BLOCK) {
      List<IntegerVector> block = queries.subList(from, Math.min(queries.size(), from + BLOCK));
      double[] dots = exactDots(block);
      for (int q = 0; q < block.size(); q++) {
        double[] row = new double[n];
        for (int k = 0; k < n; k++) {
          row[k] = IntegerVector.score(dots[q * n + k], block.get(q).scale(), scales[k]);
        }
        out[from + q] = row;
      }
    }
    return out;
  }

  /** A record's helpfulness for one query. */
  public record Scored(String recordId, double helpfulness) implements java.io.Serializable {}

  /** Best first; ties by record id, so the order is total and the same everywhere. */
  public static final Comparator<Scored> BEST_FIRST = Comparator.comparingDouble(Scored::helpfulness).reversed().thenComparing(Scored::recordId);

  /** The {@code k} most helpful records per query, most helpful first. */
  public List<List<Scored>> top(float[][] queries, int k) {
    return top(integers(queries), k);
  }

  private static List<IntegerVector> integers(float[][] queries) {
    List<IntegerVector> out = new ArrayList<>(queries.length);
    for (float[] v : queries) {
      out.add(IntegerVector.of(v));
    }
    return out;
  }

  /** The {@code k} most helpful records per query vector, most helpful first. */
  public List<List<Scored>> top(List<IntegerVector> queries, int k) {
    List<List<Scored>> out = new ArrayList<>();
    for (double[] row : scores(queries)) {
      // A min-heap of the best k so far; most records lose to its head and cost one comparison.
      PriorityQueue<Scored> keep = new PriorityQueue<>(k + 1, BEST_FIRST.reversed());
      for (int j = 0; j < row.length; j++) {
        if (keep.size() == k) {
          Scored worst = keep.peek();
          if (row[j] < worst.helpfulness() || (row[j] == worst.helpfulness() && recordIds.get(j).compareTo(worst.recordId()) > 0)) {
            continue;
          }
        }
        keep.add(new Scored(recordIds.get(j), row[j]));
        if (keep.size() > k) {
          keep.poll();
        }
      }
      List<Scored> best = new ArrayList<>(keep);
      best.sort(BEST_FIRST);
      out.add(best);
    }
    return out;
  }

  /** Exact integer dot products of a block of queries with every record, [queries × records] row-major. */
  private double[] exactDots(List<IntegerVector> block) {
    double[] flat = new double[block.size() * width];
    for (int q = 0; q < block.size(); q++) {
      double[] v = block.get(q).values();
      if (v.length != width) {
        throw new IllegalArgumentException("a query of " + v.length + " features, expected " + width);
      }
      System.arraycopy(v, 0, flat, q * width, width);
    }
    try (NDManager scope = manager.newSubManager()) {
      return scope.create(flat, new Shape(block.size(), width)).matMul(valuesT).toDoubleArray();
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
