package ai.payable.core.catalog;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One row of {@link Tables#GRADIENT_FEATURES}: a training record's projected LoRA gradient for one
 * adapter. {@link #fromRow} and {@link #toRow} are the only places that name the table's columns.
 *
 * @param modules the adapted modules, in the order their parts follow each other in {@code features}
 * @param features {@code modules × projectionDim} floats, module after module
 * @param moduleSqNorms the squared norm of each module's part
 */
public record GradientFeatureRow(String modelId, String recordId, int projectionDim, long projectionSeed, List<String> modules, float[] features,
    double[] moduleSqNorms, double loss) {

  /** The row as read from the table. */
  public static GradientFeatureRow fromRow(Row r) {
    List<Double> norms = r.getList(r.fieldIndex("module_sq_norms"));
    return new GradientFeatureRow(r.getAs("model_id"), r.getAs("record_id"), r.<Integer>getAs("projection_dim"), r.<Long>getAs("projection_seed"),
        List.copyOf(r.getList(r.fieldIndex("modules"))), floats(r.getList(r.fieldIndex("features"))), norms.stream().mapToDouble(Double::doubleValue).toArray(),
        r.<Double>getAs("loss"));
  }

  /**
   * An {@code array<float>} column's value (such as {@code features}) as a {@code float[]}.
   * Iterated, not indexed: the value may be a linked Scala list, where {@code get(i)} walks from the head.
   */
  public static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    int i = 0;
    for (Float v : values) {
      out[i++] = v;
    }
    return out;
  }

  /** The row in the table's schema, columns in its order. */
  public Row toRow() {
    Float[] f = new Float[features.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = features[i];
    }
    return RowFactory.create(modelId, recordId, projectionDim, projectionSeed, CollectionConverters.asScala(modules).toSeq(),
        CollectionConverters.asScala(Arrays.asList(f)).toSeq(), CollectionConverters.asScala(Arrays.stream(moduleSqNorms).boxed().toList()).toSeq(), loss);
  }
}
