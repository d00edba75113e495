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
    float[] transposed = new float[width * n];
    if (estimator == Estimator.TRACIN) {
      for (int k = 0; k < n; k++) {
        check(features[k], width, recordIds.get(k));
        for (int j = 0; j < width; j++) {
          transposed[j * n + k] = features[k][j];
        }
      }
    } else {
      for (int l = 0; l < modules; l++) {
        int off = l * dim;
        double[] sq = new double[n];
        double meanSq = 0;
        for (int i = 0; i < n; i++) {
          check(features[i], width, recordIds.get(i));
          for (int a = 0; a < dim; a++) {
            sq[i] += (double) features[i][off + a] * features[i][off + a];
          }
          meanSq += sq[i] / n;
        }
        double lambda = Math.max(damping * meanSq, 1e-12);
        double[] m = new double[dim * dim];
        for (int i = 0; i < n; i++) {
          double w = 1.0 / (n * (lambda + sq[i]));
          for (int a = 0; a < dim; a++) {
            double ga = features[i][off + a] * w;
            for (int b = 0; b < dim; b++) {
              m[a * dim + b] += ga * features[i][off + b];
            }
          }
        }
        for (int k = 0; k < n; k++) {
          for (int a = 0; a < dim; a++) {
            double mg = 0;
            for (int b = 0; b < dim; b++) {
              mg += m[a * dim + b] * features[k][off + b];
            }
            transposed[(off + a) * n + k] = (float) ((mg - features[k][off + a]) / lambda);
          }
        }
      }
    }
    NDManager own = parent.newSubManager();
    return new InfluenceIndex(List.copyOf(recordIds), width, own, own.create(transposed, new Shape(width, n)),
        estimator == Estimator.TRACIN ? 1f : -1f);
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

  /** Helpfulness of every record for each query: {@code [queries][records]}. */
  public float[][] scores(float[][] queries) {
    try (NDManager scope = manager.newSubManager()) {
      float[] flat = scope.create(queries(queries), new Shape(queries.length, width)).matMul(vectorsT).mul(sign).toFloatArray();
      float[][] out = new float[queries.length][recordIds.size()];
      for (int q = 0; q < queries.length; q++) {
        System.arraycopy(flat, q * recordIds.size(), out[q], 0, recordIds.size());
      }
      return out;
    }
  }

  /** A record's helpfulness for one query. */
  public record Scored(String recordId, float helpfulness) {}

  /** The {@code k} most helpful records per query, most helpful first. */
  public List<List<Scored>> top(float[][] queries, int k) {
    int keep = Math.min(k, recordIds.size());
    try (NDManager scope = manager.newSubManager()) {
      NDArray s = scope.create(queries(queries), new Shape(queries.length, width)).matMul(vectorsT).mul(sign);
      NDList top = s.topK(keep, 1, true, true);
      float[] values = top.get(0).toFloatArray();
      long[] indices = top.get(1).toLongArray();
      List<List<Scored>> out = new ArrayList<>();
      for (int q = 0; q < queries.length; q++) {
        List<Scored> row = new ArrayList<>(keep);
        for (int j = 0; j < keep; j++) {
          row.add(new Scored(recordIds.get((int) indices[q * keep + j]), values[q * keep + j]));
        }
        out.add(row);
      }
      return out;
    }
  }

  private float[] queries(float[][] queries) {
    float[] flat = new float[queries.length * width];
    for (int q = 0; q < queries.length; q++) {
      if (queries[q].length != width) {
        throw new IllegalArgumentException("query " + q + " has " + queries[q].length + " features, expected " + width);
      }
      System.arraycopy(queries[q], 0, flat, q * width, width);
    }
    return flat;
  }

  @Override
  public void close() {
    manager.close();
  }
}
