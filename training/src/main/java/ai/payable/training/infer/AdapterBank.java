package ai.payable.training.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.checkpoint.SafeTensors;
import ai.payable.training.engine.Engines;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import ai.payable.training.model.LlamaModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One base model serving many LoRA adapters at once (OpenLoRA's idea, with S-LoRA's and Punica's
 * technique): every adapter is stacked, per projection, into one array of slots ([N, in, r] and
 * [N, r, out], zero-padded to the largest rank, which leaves each product exact, and the up half
 * pre-scaled by the adapter's α/r); slot 0 is "no adapter" (zeros). {@link #select} gives each row of
 * a batch its slot by gathering its halves, so one forward pass serves rows of different adapters
 * over a shared base and KV cache. The base's weights are never touched. Everything lives on the
 * serving device in its element type (float16 on a GPU, float32 on the CPU).
 */
public final class AdapterBank implements AutoCloseable {

  /** No adapter: the base model alone. */
  public static final String BASE = "";

  /** The stacked halves of one projection; null where no loaded adapter targets it. */
  private record Stack(LoraLinear projection, NDArray down, NDArray up) {}

  private final LlamaModel model;
  private final NDManager manager;
  private final List<String> ids = new ArrayList<>();
  private final List<Stack> stacks = new ArrayList<>();
  private NDManager selected;

  /**
   * Loads the base from {@code baseDir} and the adapters (id → PEFT folder) into {@code parent}'s device.
   *
   * @throws IllegalArgumentException naming an adapter whose folder does not fit the base
   */
  public AdapterBank(NDManager parent, Path baseDir, Map<String, Path> adapterDirs) throws IOException {
    Checkpoint base = Checkpoint.open(baseDir);
    base.validate();
    this.manager = parent.newSubManager();
    this.model = new LlamaModel(base.config(), null);
    DataType type = Engines.servingType(manager.getDevice());
    model.initialize(manager, type, base);

    ids.add(BASE);
    Map<String, LoraSettings> settings = new LinkedHashMap<>();
    Map<String, Map<String, SafeTensors.Tensor>> tensors = new LinkedHashMap<>();
    int rank = 1;
    for (String id : adapterDirs.keySet().stream().sorted().toList()) {
      Path dir = adapterDirs.get(id);
      LoraSettings s = ModelFiles.readAdapterConfig(dir);
      settings.put(id, s);
      tensors.put(id, SafeTensors.readAll(dir.resolve(ModelFiles.ADAPTER_WEIGHTS)));
      rank = Math.max(rank, s.rank());
      ids.add(id);
    }
    for (LoraLinear p : model.projections()) {
      if (settings.values().stream().noneMatch(s -> s.targets(p.projection()))) {
        continue;
      }
      int in = (int) p.weight().getArray().getShape().get(1);
      int out = p.outputs();
      float[] down = new float[ids.size() * in * rank];
      float[] up = new float[ids.size() * rank * out];
      for (int slot = 1; slot < ids.size(); slot++) {
        String id = ids.get(slot);
        LoraSettings s = settings.get(id);
        if (!s.targets(p.projection())) {
          continue;
        }
        String prefix = "base_model.model." + p.module();
        SafeTensors.Tensor a = tensors.get(id).get(prefix + ".lora_A.weight");
        SafeTensors.Tensor b = tensors.get(id).get(prefix + ".lora_B.weight");
        if (a == null || b == null) {
          throw new IllegalArgumentException("adapter '" + id + "' (" + adapterDirs.get(id) + ") targets " + p.projection() + " but has no tensors for "
              + p.module());
        }
        int r = s.rank();
        checkShape(id, a, r, in);
        checkShape(id, b, out, r);
        // down[slot] = Aᵀ [in, r]; up[slot] = s·Bᵀ [r, out].
        int downAt = slot * in * rank;
        for (int i = 0; i < r; i++) {
          for (int c = 0; c < in; c++) {
            down[downAt + c * rank + i] = a.data()[i * in + c];
          }
        }
        int upAt = slot * rank * out;
        for (int o = 0; o < out; o++) {
          for (int i = 0; i < r; i++) {
            up[upAt + i * out + o] = s.scale() * b.data()[o * r + i];
          }
        }
      }
      stacks.add(new Stack(p, onDevice(down, new Shape(ids.size(), in, rank), type), onDevice(up, new Shape(ids.size(), rank, out), type)));
    }
  }

  private NDArray onDevice(float[] values, Shape shape, DataType type) {
    NDArray a = manager.create(values, shape);
    return type == DataType.FLOAT32 ? a : a.toType(type, false);
  }

  private static void checkShape(String id, SafeTensors.Tensor t, long rows, long cols) {
    if (t.data().length != rows * cols) {
      throw new IllegalArgumentException("adapter '" + id + "': a tensor of " + t.data().length + " values where [" + rows + ", " + cols + "] fit the base");
    }
  }

  /** The base model; rows get their adapters from {@link #select}. */
  public LlamaModel model() {
    return model;
  }

  /** The loaded adapter ids, sorted. */
  public List<String> adapters() {
    return ids.subList(1, ids.size());
  }

  /** The slot of adapter {@code id} (0 for {@link #BASE}). */
  public int slot(String id) {
    int slot = ids.indexOf(id);
    if (slot < 0) {
      throw new IllegalArgumentException("adapter '" + id + "' is not loaded; loaded: " + adapters());
    }
    return slot;
  }

  /** Gives row b of the next forward passes the adapter in slot {@code slots[b]}; all zero switches adapters off. */
  public void select(int[] slots) {
    clear();
    if (Arrays.stream(slots).allMatch(s -> s == 0)) {
      return;
    }
    for (int s : slots) {
      if (s < 0 || s >= ids.size()) {
        throw new IllegalArgumentException("no adapter slot " + s + " (slots 0 to " + (ids.size() - 1) + ")");
      }
    }
    selected = manager.newSubManager();
    NDArray rows = selected.create(Arrays.stream(slots).mapToLong(s -> s).toArray());
    for (Stack stack : stacks) {
      NDArray down = stack.down().get(rows);
      NDArray up = stack.up().get(rows);
      down.attach(selected);
      up.attach(selected);
      stack.projection().setRowAdapters(down, up);
    }
  }

  /** Switches every row's adapter off and frees the gathered halves. */
  public void clear() {
    stacks.forEach(s -> s.projection().setRowAdapters(null, null));
    if (selected != null) {
      selected.close();
      selected = null;
    }
  }

  @Override
  public void close() {
    clear();
    manager.close();
  }
}
