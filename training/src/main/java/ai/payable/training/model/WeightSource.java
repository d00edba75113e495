package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;

/** Where pretrained weights come from (a checkpoint directory, a teacher's layers), by Hugging Face parameter name. */
@FunctionalInterface
public interface WeightSource {

  /**
   * The tensor {@code name} as a float32 array in {@code manager}.
   *
   * @param expected the shape the model needs; a source fails naming the file, tensor and both shapes when they differ
   */
  NDArray load(String name, Shape expected, NDManager manager) throws IOException;

  /** This source with student layer {@code i} read from layer {@code keep[i]}: a student that keeps a subset of its teacher's layers. */
  default WeightSource withLayers(int[] keep) {
    return (name, expected, manager) -> {
      if (name.startsWith("model.layers.")) {
        int dot = name.indexOf('.', "model.layers.".length());
        int layer = Integer.parseInt(name.substring("model.layers.".length(), dot));
        return load("model.layers." + keep[layer] + name.substring(dot), expected, manager);
      }
      return load(name, expected, manager);
    };
  }
}
