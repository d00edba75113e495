package ai.payable.training.job;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What training one model produced, sent back to the driver to register: where its files are,
 * its config, metrics and loss curve, and (adapters) each training record's gradient features.
 *
 * @param config the {@code config.json} text of the model (an adapter: its base's)
 * @param skipped training records left out because nothing of their answer fit in {@code max_length}
 */
record TrainedModel(String modelId, String artifactUri, String config, Map<String, Double> metrics, List<Float> losses,
    List<String> skipped, Features features) implements Serializable {

  /** Per-record projected LoRA gradients, module after module. */
  public record Features(int dim, long seed, List<String> modules, List<Row> rows) implements Serializable {}

  /** One training record's features. */
  public record Row(String recordId, float[] features, double[] moduleSqNorms, double loss) implements Serializable {}
}
