package ai.payable.attribution.gradient;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient influence of an adapter's training records on answers, from the projected per-record
 * LoRA gradients g_k (module after module) and an answer's query gradient v, projected alike.
 *
 * <ul>
 *   <li><b>TracIn</b> (Pruthi et al. 2020, one checkpoint): {@code v·g_k}, summed over modules. A
 *       positive value means a step on record k lowers the answer's loss: helpful.
 *   <li><b>DataInf</b> (Kwon et al. 2024): per module l with damping λ_l,
 *       {@code I(k) = Σ_l (1/λ_l) [ (1/n) Σ_i (v_l·g_{l,i})(g_{l,i}·g_{l,k}) / (λ_l + ‖g_{l,i}‖²) − v_l·g_{l,k} ]},
 *       negative when record k helped. The bracket is linear in v_l, so each record's vector
 *       {@code t_{l,k} = (M_l g_{l,k} − g_{l,k}) / λ_l} with
 *       {@code M_l = (1/n) Σ_i g_{l,i} g_{l,i}ᵀ / (λ_l + ‖g_{l,i}‖²)} is computed once per model, and an
 *       answer costs one dot product per record. λ_l is {@code damping} × the mean of ‖g_{l,i}‖².
 * </ul>
 *
 * Scores come out as helpfulness (TracIn as is, DataInf negated), for blocks of answers against
 * all records as one matrix product.
 */
public final class InfluenceIndex implements AutoCloseable {

  /** Which estimator the index scores with. */
  public enum Estimator {
    TRACIN,
    DATAINF
  }

  private final List<String> recordIds;
  private final int width;
  private final NDManager manager;
  private final NDArray vectorsT; // [width, n]
  private final float sign;

  private InfluenceIndex(List<String> recordIds, int width, NDManager manager, NDArray vectorsT, float sign) {
    this.recordIds = recordIds;
    this.width = width;
    this.manager = manager;
    this.vectorsT = vectorsT;
    this.sign = sign;
  }

  /**
   * Builds the index of {@code features} ({@code n × modules·dim}, module after module).
   *
   * @param damping DataInf's λ_l as a multiple of the mean squared gradient norm of module l
   */
  public static InfluenceIndex build(List<String> recordIds, float[][] features, int modules, int dim, Estimator estimator, double damping,
      NDManager parent) {
    int n = features.length;
    int width = modules * dim;
    if (n == 0 || n != recordIds.size()) {
      throw new IllegalArgumentException("need one feature vector per record: " + n + " vectors for " + recordIds.size() + " records");
    }
    float[] flat = new float[n * width];
    for (int k = 0; k < n; k++) {
      check(features[k], width, recordIds.get(k));
      System.arraycopy(features[k], 0, flat, k * width, width);
    }
    NDManager own = parent.newSubManager();
    NDArray vectorsT;
    try (NDManager scope = own.newSubManager()) {
      NDArray g = scope.create(flat, new Shape(n, width));
      NDArray vectors = g;
      if (estimator == Estimator.DATAINF) {
        NDList parts = new NDList();
        for (int l = 0; l < modules; l++) {
          NDArray gl = g.get(new ai.djl.ndarray.index.NDIndex(":, {}:{}", l * dim, (l + 1) * dim));
          NDArray sq = gl.square().sum(new int[] {1}, true); // [n, 1]
          float lambda = (float) Math.max(damping * sq.mean().getFloat(), 1e-12);
          NDArray weights = sq.add(scope.create(lambda)).mul(scope.create((float) n)).pow(scope.create(-1f)); // 1 / (n (λ + ‖g_i‖²))
          NDArray m = gl.mul(weights).transpose().matMul(gl); // [d, d], symmetric
          parts.add(gl.matMul(m).sub(gl).div(scope.create(lambda)));
        }
        vectors = ai.djl.ndarray.NDArrays.concat(parts, 1);
      }
      vectorsT = vectors.transpose().duplicate();
      vectorsT.attach(own);
    }
    return new InfluenceIndex(List.copyOf(recordIds), width, own, vectorsT, estimator == Estimator.TRACIN ? 1f : -1f);
  }

  private static void check(float[] f, int width, String recordId) {
    if (f.length != width) {
      throw new IllegalArgumentException("record " + recordId + " has " + f.length + " features, expected " + width);
    }
  }

  /** The indexed records, in column order. */
  public List<String> recordIds() {
    return recordIds;
  }

  /**
   * Queries are scored in blocks of exactly this many rows (the last one padded with zeros): a
   * matrix product's kernel, and with it the rounding of each row's dot products, depends on the
   * number of rows, so fixed-shape blocks make an answer's scores the same whichever answers share
   * its block, whether a night scores all of them or a researcher explains one.
   */
  public static final int BLOCK = 256;

  /** Helpfulness of every record for each query: {@code [queries][records]}. */
  public float[][] scores(float[][] queries) {
    float[][] out = new float[queries.length][];
    for (int from = 0; from < queries.length; from += BLOCK) {
      int n = Math.min(BLOCK, queries.length - from);
      try (NDManager scope = manager.newSubManager()) {
        float[] flat = block(scope, queries, from, n).toFloatArray();
        for (int q = 0; q < n; q++) {
          out[from + q] = java.util.Arrays.copyOfRange(flat, q * recordIds.size(), (q + 1) * recordIds.size());
        }
      }
    }
    return out;
  }

  /** A record's helpfulness for one query. */
  public record Scored(String recordId, float helpfulness) {}

  /** The {@code k} most helpful records per query, most helpful first. */
  public List<List<Scored>> top(float[][] queries, int k) {
    int keep = Math.min(k, recordIds.size());
    List<List<Scored>> out = new ArrayList<>();
    for (int from = 0; from < queries.length; from += BLOCK) {
      int n = Math.min(BLOCK, queries.length - from);
      try (NDManager scope = manager.newSubManager()) {
        NDList top = block(scope, queries, from, n).topK(keep, 1, true, true);
        float[] values = top.get(0).toFloatArray();
        long[] indices = top.get(1).toLongArray();
        for (int q = 0; q < n; q++) {
          List<Scored> row = new ArrayList<>(keep);
          for (int j = 0; j < keep; j++) {
            row.add(new Scored(recordIds.get((int) indices[q * keep + j]), values[q * keep + j]));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  /** Signed scores of queries {@code from … from + n}, computed as a full block of {@link #BLOCK} rows. */
  private NDArray block(NDManager scope, float[][] queries, int from, int n) {
    float[] flat = new float[BLOCK * width];
    for (int q = 0; q < n; q++) {
      float[] query = queries[from + q];
      if (query.length != width) {
        throw new IllegalArgumentException("query " + (from + q) + " has " + query.length + " features, expected " + width);
      }
      System.arraycopy(query, 0, flat, q * width, width);
    }
    return scope.create(flat, new Shape(BLOCK, width)).matMul(vectorsT).mul(sign).get("0:" + n);
  }

  @Override
  public void close() {
    manager.close();
  }
}
