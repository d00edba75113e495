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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only transformer shaped like Hugging Face's {@code LlamaForCausalLM}: token embedding,
 * pre-norm decoder layers (RMSNorm, rotary causal self-attention, SwiGLU), a final norm and an
 * untied LM head. Takes token ids [B, T] (int64) and returns logits [B, T, V]. Every parameter is
 * named as Hugging Face names it, so {@link #namedParameters()} is the export map.
 */
public final class LlamaModel extends AbstractBlock {

  private final LlamaConfig config;
  private final LoraSettings lora;
  private final Parameter embedding;
  private final List<DecoderLayer> layers = new ArrayList<>();
  private final RmsNorm norm;
  private final LoraLinear head;

  /** @param lora adapter settings, or null for a plain model */
  public LlamaModel(LlamaConfig config, LoraSettings lora) {
    this.config = config;
    this.lora = lora;
    this.embedding = addParameter(Parameter.builder().setName("model.embed_tokens.weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.vocabSize(), config.hiddenSize())).optInitializer(Initializers.normal(0.02f)).build());
    for (int i = 0; i < config.layers(); i++) {
      layers.add(addChildBlock("layer" + i, new DecoderLayer(i, config, lora)));
    }
    this.norm = addChildBlock("norm", new RmsNorm("model.norm.weight", config.hiddenSize(), config.rmsNormEps()));
    // The LM head is never adapted: PEFT's Llama targets are the decoder projections.
    this.head = addChildBlock("lm_head", new LoraLinear("lm_head", config.hiddenSize(), config.vocabSize(), null));
  }

  /** The shape. */
  public LlamaConfig config() {
    return config;
  }

  /** The adapter settings, or null. */
  public LoraSettings lora() {
    return lora;
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

  /** Initialises every parameter (seed the engine first for reproducible weights). */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, config.maxPositions()));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    if (ids.getShape().get(1) > config.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + ids.getShape().get(1) + " tokens is longer than the context of " + config.maxPositions());
    }
    NDArray table = store.getValue(embedding, ids.getDevice(), training);
    NDArray x = ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    NDList hidden = new NDList(x);
    for (DecoderLayer layer : layers) {
      hidden = layer.forward(store, hidden, training);
    }
    return head.forward(store, norm.forward(store, hidden, training), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = inputShapes[0].add(config.hiddenSize());
    for (DecoderLayer layer : layers) {
      layer.initialize(manager, dataType, hidden);
    }
    norm.initialize(manager, dataType, hidden);
    head.initialize(manager, dataType, hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.vocabSize())};
  }
}
