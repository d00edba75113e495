package ai.payable.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The keys and values every layer has computed so far for a batch of sequences, so each generation
 * step runs only its new tokens. Each layer's keys and values live in one buffer of the cache's
 * capacity ([B, kvHeads, capacity, headDim]) that steps write into: a step copies its own tokens,
 * not the whole history. The cache owns its buffers in a memory scope of its own: a step's
 * temporary arrays are freed while the cache lives on, and closing the cache frees it all.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final int capacity;
  private final NDArray[] keys;
  private final NDArray[] values;
  private int length;

  /** An empty cache of {@code capacity} positions for {@code layers} layers, in a scope below {@code parent}. */
  public KvCache(NDManager parent, int layers, int capacity) {
    this.manager = parent.newSubManager();
    this.capacity = capacity;
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Positions cached (the same for every row of the batch: padding is cached too, and masked). */
  public int length() {
    return length;
  }

  /**
   * Writes layer {@code layer}'s new keys and values [B, kv, T, hd] after the cached ones and returns
   * views of all of both [B, kv, S + T, hd], in the new arrays' memory scope.
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    long fresh = k.getShape().get(2);
    if (length + fresh > capacity) {
      throw new IllegalStateException("the cache holds " + capacity + " positions; " + length + " + " + fresh + " do not fit");
    }
    keys[layer] = write(keys[layer], k);
    values[layer] = write(values[layer], v);
    NDIndex upTo = new NDIndex(":, :, :{}, :", length + fresh);
    NDArray allKeys = keys[layer].get(upTo);
    NDArray allValues = values[layer].get(upTo);
    allKeys.attach(k.getManager());
    allValues.attach(k.getManager());
    return new NDArray[] {allKeys, allValues};
  }

  private NDArray write(NDArray buffer, NDArray fresh) {
    if (buffer == null) {
      Shape s = fresh.getShape();
      buffer = manager.zeros(new Shape(s.get(0), s.get(1), capacity, s.get(3)), fresh.getDataType(), fresh.getDevice());
    }
    buffer.set(new NDIndex(":, :, {}:{}, :", length, length + fresh.getShape().get(2)), fresh);
    return buffer;
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
