package ai.payable.training.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.engine.Engines;
import ai.payable.training.model.KvCache;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.model.Masks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Autoregressive decoding of a batch of prompts of different lengths: left-padded (each row's
 * positions start at its first real token, padding is masked), one prefill pass, then one token
 * per step with a {@link KvCache}. Greedy at temperature 0, else sampling at that temperature
 * within the top-p nucleus from a generator seeded per prompt (so a prompt's answer does not
 * depend on what it was batched with). A row stops at the model's end-of-turn tokens, at a stop
 * string, after {@code maxNewTokens}, or at the end of the context; finished rows leave the batch.
 * Rows may each use their own adapter of an {@link AdapterBank}. Runs without autograd.
 */
public final class Generator {

  /**
   * How to decode.
   *
   * @param temperature 0 for greedy decoding
   * @param topP nucleus sampling: the smallest set of likeliest tokens whose probability reaches it (1 = all)
   * @param seed sampling seed
   * @param stopStrings text that ends an answer (left out of it)
   * @param useCache false re-runs the whole sequence every step (only to measure what the cache saves)
   */
  public record Settings(int maxNewTokens, float temperature, float topP, long seed, List<String> stopStrings, boolean useCache) {
    public Settings {
      if (maxNewTokens <= 0) {
        throw new IllegalArgumentException("max new tokens must be positive, not " + maxNewTokens);
      }
      if (!(temperature >= 0)) {
        throw new IllegalArgumentException("temperature must be 0 (greedy) or positive, not " + temperature);
      }
      if (!(topP > 0 && topP <= 1)) {
        throw new IllegalArgumentException("top-p must be within (0, 1], not " + topP);
      }
      stopStrings = List.copyOf(stopStrings);
    }

    /**
     * The sampling seed of prompt {@code i}: seeded per prompt, so an answer does not depend on
     * which others share its batch.
     */
    public long promptSeed(long i) {
      return seed * 1_000_003L + i;
    }

    /** Greedy decoding of up to {@code maxNewTokens}. */
    public static Settings greedy(int maxNewTokens) {
      return new Settings(maxNewTokens, 0f, 1f, 0L, List.of(), true);
    }
  }

  /** Why a row stopped. */
  public enum Finish {
    /** The model ended its turn. */
    STOP,
    /** A stop string appeared. */
    STOP_STRING,
    /** {@code maxNewTokens} were generated. */
    LENGTH,
    /** The context is full. */
    CONTEXT
  }

  /**
   * One answer.
   *
   * @param tokens the generated ids, without the end-of-turn token
   * @param text their text (cut before a stop string)
   */
  public record Output(int[] tokens, String text, Finish finish) {}

  private final LlamaModel model;
  private final AdapterBank bank;
  private final ChatFormat format;
  private final NDManager manager;

  /** Decodes with {@code model} as it is (its own adapter, if any). */
  public Generator(LlamaModel model, ChatFormat format, NDManager manager) {
    this(model, null, format, manager);
  }

  /** Decodes with the bank's base, each row with the adapter {@link #generate(List, long[], int[], Settings)} gives it. */
  public Generator(AdapterBank bank, ChatFormat format, NDManager manager) {
    this(bank.model(), bank, format, manager);
  }

  private Generator(LlamaModel model, AdapterBank bank, ChatFormat format, NDManager manager) {
    this.model = model;
    this.bank = bank;
    this.format = format;
    this.manager = manager;
  }

  /** Answers one prompt (token ids, e.g. {@link ChatFormat#prompt}). */
  public Output generate(int[] prompt, Settings settings) {
    return generate(List.of(prompt), settings).get(0);
  }

  /** Answers {@code prompts} together, in one batch; prompt i samples with seed {@code settings.seed()} and i. */
  public List<Output> generate(List<int[]> prompts, Settings settings) {
    long[] seeds = new long[prompts.size()];
    for (int r = 0; r < seeds.length; r++) {
      seeds[r] = settings.promptSeed(r);
    }
    return generate(prompts, seeds, settings);
  }

  /** Answers {@code prompts} together, in one batch; prompt i samples from {@code seeds[i]} (ignored when greedy). */
  public List<Output> generate(List<int[]> prompts, long[] seeds, Settings settings) {
    return generate(prompts, seeds, null, settings);
  }

  /**
   * Answers {@code prompts} together, in one batch: prompt i with the bank's adapter in slot
   * {@code slots[i]} (null: the model as it is), sampling from {@code seeds[i]} (ignored when greedy).
   */
  public List<Output> generate(List<int[]> prompts, long[] seeds, int[] slots, Settings settings) {
    if (slots != null && bank == null) {
      throw new IllegalStateException("per-row adapters need a generator over an adapter bank");
    }
    if (slots != null && slots.length != prompts.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + slots.length + " adapter slots");
    }
    int batch = prompts.size();
    int context = model.config().maxPositions();
    int longest = 0;
    for (int[] p : prompts) {
      if (p.length == 0) {
        throw new IllegalArgumentException("an empty prompt cannot be answered");
      }
      if (p.length >= context) {
        throw new IllegalArgumentException("a prompt of " + p.length + " tokens leaves no room in the context of " + context);
      }
      longest = Math.max(longest, p.length);
    }
    int steps = Math.min(settings.maxNewTokens(), context - longest);
    // Row r of the padded batch: its tokens so far (padding included) and which positions are real.
    int width = longest + steps;
    int[][] tokens = new int[batch][width];
    boolean[][] valid = new boolean[batch][width];
    int[] pad = new int[batch];
    for (int r = 0; r < batch; r++) {
      int[] p = prompts.get(r);
      pad[r] = longest - p.length;
      Arrays.fill(tokens[r], 0, pad[r], format.specials().padId());
      System.arraycopy(p, 0, tokens[r], pad[r], p.length);
      Arrays.fill(valid[r], pad[r], longest, true);
    }
    SplittableRandom[] random = new SplittableRandom[batch];
    for (int r = 0; r < batch; r++) {
      random[r] = new SplittableRandom(seeds[r]);
    }
    List<List<Integer>> produced = new ArrayList<>();
    Finish[] finish = new Finish[batch];
    for (int r = 0; r < batch; r++) {
      produced.add(new ArrayList<>());
    }

    Engines.Scope noGradients = Engines.noGradients();
    try (NDManager scope = manager.newSubManager(); KvCache cache = settings.useCache() ? new KvCache(scope, model.config().layers(), width) : null) {
      ParameterStore store = new ParameterStore(scope, false);
      int[] active = new int[batch];
      for (int r = 0; r < batch; r++) {
        active[r] = r;
      }
      int length = longest;
      int[] adapted = null;
      for (int step = 0; step < steps && active.length > 0; step++) {
        if (slots != null && active != adapted) {
          int[] rows = active;
          bank.select(Arrays.stream(rows).map(r -> slots[r]).toArray());
          adapted = active;
        }
        int[] next;
        try (NDManager stepScope = scope.newSubManager()) {
          NDArray last = lastHidden(store, stepScope, cache, tokens, valid, pad, active, length);
          next = choose(model.logits(store, last, false), active, settings, random);
        }
        List<Integer> still = new ArrayList<>();
        for (int i = 0; i < active.length; i++) {
          int r = active[i];
          tokens[r][length] = next[i];
          valid[r][length] = true;
          if (format.specials().stops(next[i])) {
            finish[r] = Finish.STOP;
            continue;
          }
          produced.get(r).add(next[i]);
          if (!settings.stopStrings().isEmpty() && stopString(produced.get(r), settings.stopStrings()) >= 0) {
            finish[r] = Finish.STOP_STRING;
            continue;
          }
          still.add(i);
        }
        length++;
        if (still.size() < active.length && cache != null && !still.isEmpty()) {
          try (NDManager select = scope.newSubManager()) {
            cache.keepRows(select.create(still.stream().mapToLong(Integer::longValue).toArray()));
          }
        }
        if (still.size() < active.length) {
          int[] before = active;
          active = still.stream().mapToInt(i -> before[i]).toArray();
        }
      }
      for (int r : active) {
        finish[r] = length >= context ? Finish.CONTEXT : Finish.LENGTH;
      }
    } finally {
      if (slots != null) {
        bank.clear();
      }
      noGradients.close();
    }
    List<Output> outputs = new ArrayList<>();
    for (int r = 0; r < batch; r++) {
      int[] ids = produced.get(r).stream().mapToInt(Integer::intValue).toArray();
      String text = format.decode(ids);
      if (finish[r] == Finish.STOP_STRING) {
        int at = firstStop(text, settings.stopStrings());
        text = at >= 0 ? text.substring(0, at) : text;
      }
      outputs.add(new Output(ids, text, finish[r] == null ? Finish.LENGTH : finish[r]));
    }
    return outputs;
  }

  /**
   * The final hidden state [A, D] of each active row after feeding what it has not fed yet: the
   * whole padded prompt at first, then the last token (with the cache), or everything again
   * (without it).
   */
  private NDArray lastHidden(ParameterStore store, NDManager m, KvCache cache, int[][] tokens, boolean[][] valid, int[] pad, int[] active,
      int length) {
    int past = cache == null ? 0 : cache.length();
    int fresh = length - past;
    long[] ids = new long[active.length * fresh];
    long[] positions = new long[active.length * fresh];
    boolean[][] keys = new boolean[active.length][];
    for (int i = 0; i < active.length; i++) {
      int r = active[i];
      for (int t = 0; t < fresh; t++) {
        ids[i * fresh + t] = tokens[r][past + t];
        positions[i * fresh + t] = Math.max(0, past + t - pad[r]);
      }
      keys[i] = Arrays.copyOf(valid[r], length);
    }
    NDArray mask = Masks.padded(m, keys, past, fresh, model.dataType());
    NDArray hidden = model.hidden(store, m.create(ids, new Shape(active.length, fresh)), m.create(positions, new Shape(active.length, fresh)), mask,
        cache, false);
    return hidden.get(new NDIndex(":, -1, :"));
  }

  /** The next token of each active row from its logits [A, V]. */
  private static int[] choose(NDArray logits, int[] active, Settings settings, SplittableRandom[] random) {
    int[] next = new int[active.length];
    if (settings.temperature() == 0f) {
      long[] best = logits.argMax(-1).toLongArray();
      for (int i = 0; i < next.length; i++) {
        next[i] = (int) best[i];
      }
      return next;
    }
    int vocab = (int) logits.getShape().get(1);
    float[] all = logits.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    for (int i = 0; i < next.length; i++) {
      next[i] = Sampling.sample(Arrays.copyOfRange(all, i * vocab, (i + 1) * vocab), settings.temperature(), settings.topP(), random[active[i]]);
    }
    return next;
  }

  private int stopString(List<Integer> produced, List<String> stops) {
    return firstStop(format.decode(produced.stream().mapToInt(Integer::intValue).toArray()), stops);
  }

  private static int firstStop(String text, List<String> stops) {
    int first = -1;
    for (String s : stops) {
      int at = text.indexOf(s);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    return first;
  }
}
