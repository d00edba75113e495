package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The keys and values every layer has computed so far for a batch of sequences ([B, kvHeads, S,
 * headDim] per layer), so each generation step runs only its new tokens. The cache owns its
 * arrays in a memory scope of its own: a step's temporary arrays can be freed while the cache
 * lives on, and closing the cache frees it all.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private int length;

  /** An empty cache for {@code layers} layers, in a scope below {@code parent}. */
  public KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Positions cached (the same for every row of the batch: padding is cached too, and masked). */
  public int length() {
    return length;
  }

  /** Adds layer {@code layer}'s new keys and values [B, kv, T, hd]; returns the whole of both [B, kv, S + T, hd]. */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    keys[layer] = extend(keys[layer], k);
    values[layer] = extend(values[layer], v);
    return new NDArray[] {keys[layer], values[layer]};
  }

  private NDArray extend(NDArray cached, NDArray fresh) {
    NDArray all = cached == null ? fresh : NDArrays.concat(new NDList(cached, fresh), 2);
    all.attach(manager);
    if (cached != null) {
      cached.close();
    }
    return all;
  }

  /** Records that a forward pass of {@code tokens} new positions went through every layer. */
  void advance(int tokens) {
    length += tokens;
  }

  /** Keeps only the batch rows {@code rows} (in that order): finished sequences leave the batch. */
  public void keepRows(NDArray rows) {
    for (int l = 0; l < keys.length; l++) {
      if (keys[l] != null) {
        keys[l] = select(keys[l], rows);
        values[l] = select(values[l], rows);
      }
    }
  }

  private NDArray select(NDArray cached, NDArray rows) {
    NDArray kept = cached.get(rows);
    kept.attach(manager);
    cached.close();
    return kept;
  }

  @Override
  public void close() {
    manager.close();
  }
}
