package ai.payable.training.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.checkpoint.SafeTensors;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One base model serving many LoRA adapters (the OpenLoRA / S-LoRA idea, offline), in the element
 * type served on its device (float16 on a GPU, float32 on the CPU): the base is
 * loaded once with an adapter slot of the largest rank on every projection; switching adapters
 * copies the adapter's A and B into the slots, zero-padded to the slot's rank (which leaves B·A
 * exact), sets each module's α/r, and switches untargeted modules off. Adapters stay in host memory
 * as plain arrays, a few kilobytes each for small models.
 */
public final class AdapterSlots {

  /** No adapter: the base model alone. */
  public static final String BASE = "";

  private record Adapter(LoraSettings settings, Map<String, SafeTensors.Tensor> tensors) {}

  private final LlamaModel model;
  private final int slotRank;
  private final Map<String, Adapter> adapters = new HashMap<>();
  private String active;

  /**
   * Loads the base from {@code baseDir} and the adapters (id → PEFT folder).
   *
   * @throws IllegalArgumentException naming an adapter whose folder does not fit the base
   */
  public AdapterSlots(NDManager manager, Path baseDir, Map<String, Path> adapterDirs) throws IOException {
    Checkpoint base = Checkpoint.open(baseDir);
    base.validate();
    int maxRank = 1;
    for (Map.Entry<String, Path> e : adapterDirs.entrySet()) {
      LoraSettings s = ModelFiles.readAdapterConfig(e.getValue());
      maxRank = Math.max(maxRank, s.rank());
      adapters.put(e.getKey(), new Adapter(s, SafeTensors.readAll(e.getValue().resolve(ModelFiles.ADAPTER_WEIGHTS))));
    }
    this.slotRank = maxRank;
    this.model = new LlamaModel(base.config(), new LoraSettings(maxRank, maxRank, LoraSettings.PROJECTIONS));
    model.initialize(manager, Engines.servingType(manager.getDevice()), base);
    use(BASE);
  }

  /** The model, with the active adapter in its slots. */
  public LlamaModel model() {
    return model;
  }

  /** The loaded adapter ids. */
  public List<String> adapters() {
    return adapters.keySet().stream().sorted().toList();
  }

  /** Puts adapter {@code id} (or {@link #BASE}) into the slots; a no-op if it is already there. */
  public void use(String id) {
    if (id.equals(active)) {
      return;
    }
    Adapter adapter = id.equals(BASE) ? null : adapters.get(id);
    if (!id.equals(BASE) && adapter == null) {
      throw new IllegalArgumentException("adapter '" + id + "' is not loaded; loaded: " + adapters());
    }
    for (LoraLinear p : model.adaptedProjections()) {
      String projection = p.projection();
      long in = p.loraA().getArray().getShape().get(1);
      long out = p.loraB().getArray().getShape().get(0);
      float[] a = new float[(int) (slotRank * in)];
      float[] b = new float[(int) (out * slotRank)];
      float scale = 0f;
      if (adapter != null && adapter.settings().targets(projection)) {
        String prefix = "base_model.model." + p.module();
        SafeTensors.Tensor ta = adapter.tensors().get(prefix + ".lora_A.weight");
        SafeTensors.Tensor tb = adapter.tensors().get(prefix + ".lora_B.weight");
        if (ta == null || tb == null) {
          throw new IllegalArgumentException("adapter '" + id + "' targets " + projection + " but has no tensors for " + p.module());
        }
        int r = adapter.settings().rank();
        System.arraycopy(ta.data(), 0, a, 0, r * (int) in);
        for (int row = 0; row < out; row++) {
          System.arraycopy(tb.data(), row * r, b, row * slotRank, r);
        }
        scale = adapter.settings().scale();
      }
      assign(p.loraA().getArray(), a);
      assign(p.loraB().getArray(), b);
      p.setScale(scale);
    }
    active = id;
  }

  /** Copies float32 values into a slot of the model's element type. */
  private static void assign(NDArray slot, float[] values) {
    if (slot.getDataType() == DataType.FLOAT32) {
      slot.set(values);
      return;
    }
    try (NDManager scope = slot.getManager().newSubManager()) {
      slot.set(scope.create(values, slot.getShape()).toType(slot.getDataType(), false).toByteBuffer());
    }
  }
}
