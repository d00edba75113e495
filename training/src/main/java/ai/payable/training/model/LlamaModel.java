package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.payable.training.lora.LoraLinear;
import ai.payable.training.lora.LoraSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Llama-family decoder, computed as Hugging Face's {@code LlamaForCausalLM} computes it: token
 * embedding, pre-norm decoder layers (RMSNorm, rotary causal self-attention with grouped-query
 * key/value heads, gated MLP), a final norm and an LM head (tied to the embedding or not).
 * Every parameter carries its Hugging Face name, so {@link #namedParameters()} is the checkpoint's
 * tensor map, and the model is one DJL block whose parameters train and freeze as usual.
 *
 * <p>Two ways in: {@link #forward} with token ids [B, T] gives logits [B, T, V] for training and
 * scoring (causal mask, positions 0..T−1); {@link #hidden} with explicit positions, an additive
 * mask and a {@link KvCache} serves generation (left-padded batches, one new token per step), and
 * {@link #logits} then runs the head only where needed.
 */
public final class LlamaModel extends AbstractBlock {

  private final LlamaConfig config;
  private final LoraSettings lora;
  private final Parameter embedding;
  private final List<DecoderLayer> layers = new ArrayList<>();
  private final RmsNorm norm;
  private final LoraLinear head;
  private Rotary rotary;
  private DataType dataType = DataType.FLOAT32;

  /** @param lora adapter settings, or null for a plain model */
  public LlamaModel(LlamaConfig config, LoraSettings lora) {
    this.config = config;
    this.lora = lora;
    this.embedding = addParameter(Parameter.builder().setName("model.embed_tokens.weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.vocabSize(), config.hiddenSize())).optInitializer(Initializers.normal(0.02f)).build());
    for (int i = 0; i < config.layers(); i++) {
      DecoderLayer layer = new DecoderLayer(i, config, lora);
      layer.parameters().forEach(this::addParameter);
      layers.add(layer);
    }
    this.norm = new RmsNorm("model.norm.weight", config.hiddenSize(), config.rmsNormEps());
    addParameter(norm.gain());
    // The LM head is never adapted (PEFT's Llama targets are the decoder projections); tied, it is the embedding.
    this.head = config.tieWordEmbeddings() ? null : new LoraLinear("lm_head", config.hiddenSize(), config.vocabSize(), false, null);
    if (head != null) {
      head.parameters().forEach(this::addParameter);
    }
  }

  /** The shape. */
  public LlamaConfig config() {
    return config;
  }

  /** The adapter settings, or null. */
  public LoraSettings lora() {
    return lora;
  }

  /** The element type of the weights. */
  public DataType dataType() {
    return dataType;
  }

  /** Every decoder projection, layer by layer. */
  public List<LoraLinear> projections() {
    List<LoraLinear> all = new ArrayList<>();
    layers.forEach(l -> all.addAll(l.projections()));
    return all;
  }

  /** The projections carrying an adapter, layer by layer. */
  public List<LoraLinear> adaptedProjections() {
    return projections().stream().filter(LoraLinear::adapted).toList();
  }

  /**
   * The Hugging Face paths of the projections carrying an adapter in the top {@code count} decoder
   * layers (every layer when {@code count} is at least the depth), layer by layer: the modules to
   * take gradient features of.
   */
  public List<String> adaptedModulesOfTopLayers(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a count of layers must be ≥ 1, got " + count);
    }
    List<String> top = new ArrayList<>();
    layers.subList(Math.max(0, layers.size() - count), layers.size())
        .forEach(l -> l.projections().stream().filter(LoraLinear::adapted).map(LoraLinear::module).forEach(top::add));
    return top;
  }

  /** Every parameter by its Hugging Face name, in a stable order. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> named = new LinkedHashMap<>();
    getParameters().values().forEach(p -> named.put(p.getName(), p));
    return named;
  }

  /** The base model's parameters (everything but LoRA's A and B). */
  public Map<String, Parameter> baseParameters() {
    Map<String, Parameter> base = new LinkedHashMap<>();
    namedParameters().forEach((name, p) -> {
      if (!name.contains(".lora_")) {
        base.put(name, p);
      }
    });
    return base;
  }

  /** Initialises every parameter at random in float32 (call {@link ai.payable.training.engine.Engines#seed} first for reproducible weights). */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, (WeightSource) null);
  }

  /**
   * Initialises the model in {@code type} on {@code manager}'s device: base parameters from
   * {@code weights} (when not null), adapter parameters (and everything, without weights) by
   * their initialisers.
   */
  public void initialize(NDManager manager, DataType type, WeightSource weights) {
    if (weights != null) {
      baseParameters().forEach((name, p) -> p.setInitializer((m, shape, t) -> {
        try {
          NDArray loaded = weights.load(name, shape, m);
          return loaded.getDataType() == t ? loaded : loaded.toType(t, false);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    }
    this.dataType = type;
    initialize(manager, type, new Shape(1, config.maxPositions()));
    this.rotary = new Rotary(manager, type, config.rope(), config.headDim(), config.maxPositions());
  }

  /**
   * Hidden states [B, T, D] after the final norm.
   *
   * @param ids token ids [B, T], int64
   * @param positions each token's position [B, T] (or [1, T] for every row), int64
   * @param mask additive attention mask [B or 1, 1, T, S] over the S = cached + T keys; see {@link Masks}
   * @param cache the batch's key/value cache (extended by these tokens), or null
   */
  public NDArray hidden(ParameterStore store, NDArray ids, NDArray positions, NDArray mask, KvCache cache, boolean training) {
    long length = ids.getShape().get(1) + (cache == null ? 0 : cache.length());
    if (length > config.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + length + " tokens is longer than the context of " + config.maxPositions());
    }
    NDArray table = store.getValue(embedding, ids.getDevice(), training);
    NDArray x = ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    Rotary.Rotation rotation = rotary.at(positions);
    NDManager outer = x.getManager();
    for (int i = 0; i < layers.size(); i++) {
      // Each layer's temporaries (and its input) are freed as soon as the layer is done, as Python
      // frees them by reference counting: holding a whole forward pass's activations makes every
      // allocation fresh memory from the kernel. Autograd keeps what backward needs on its own.
      try (NDManager layerScope = outer.newSubManager()) {
        x.attach(layerScope);
        NDArray out = layers.get(i).forward(store, x, rotation, mask, cache, i, training);
        out.attach(outer);
        x = out;
      }
    }
    if (cache != null) {
      cache.advance((int) ids.getShape().get(1));
    }
    return norm.forward(store, x, training);
  }

  /** Next-token logits [..., V] of hidden states [..., D]. */
  public NDArray logits(ParameterStore store, NDArray hidden, boolean training) {
    if (head != null) {
      return head.forward(store, hidden, training);
    }
    NDArray table = store.getValue(embedding, hidden.getDevice(), training);
    return hidden.getNDArrayInternal().linear(hidden, table, null).singletonOrThrow();
  }

  /** Takes token ids [B, T] (int64) and returns logits [B, T, V]: causal, positions 0..T−1, no cache. */
  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    int t = (int) ids.getShape().get(1);
    NDManager m = ids.getManager();
    NDArray positions = m.arange(0L, (long) t, 1L, DataType.INT64).reshape(1, t);
    NDArray mask = Masks.causal(m, 0, t, dataType);
    return new NDList(logits(store, hidden(store, ids, positions, mask, null, training), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.vocabSize())};
  }
}
