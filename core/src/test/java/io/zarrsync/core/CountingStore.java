package io.zarrsync.core;

import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.zarr.store.Store;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts puts per key and reads of chunk objects (keys that are not metadata). */
final class CountingStore implements Store {
  private final Store s;
  private final Map<String, AtomicInteger> puts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> chunkGets = new ConcurrentHashMap<>();

  CountingStore(Store s) {
    this.s = s;
  }

  void reset() {
    puts.clear();
    chunkGets.clear();
  }

  /** The most puts any one key got since the last reset (0 if none). */
  int maxPutsPerKey() {
    return puts.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
  }

  /**
   * Reads of published chunk objects since the last reset (reads of staged copies while publishing
   * are the commit protocol's, not read-modify-write).
   */
  int chunkGets() {
    return chunkGets.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Reads of published chunks of the array {@code name}. */
  int chunkGets(String name) {
    return chunkGets.entrySet().stream()
        .filter(e -> e.getKey().startsWith(name + "/"))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** The most reads any one chunk got since the last reset. */
  int maxGetsPerChunk() {
    return chunkGets.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
  }

  private static boolean isChunk(String key) {
    String k = key;
    if (TxnKeys.internal(k)) {
      return false;
    }
    String last = k.substring(k.lastIndexOf('/') + 1);
    return k.contains("/") && !last.startsWith(".");
  }

  @Override
  public Optional<byte[]> get(String key) {
    if (isChunk(key)) {
      chunkGets.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }
    return s.get(key);
  }

  @Override
  public void put(String key, byte[] value) {
    puts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    s.put(key, value);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] value) {
    boolean done = s.putIfAbsent(key, value);
    if (done) {
      puts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }
    return done;
  }

  @Override
  public void delete(String key) {
    s.delete(key);
  }

  @Override
  public boolean exists(String key) {
    return s.exists(key);
  }

  @Override
  public List<String> list(String prefix) {
    return s.list(prefix);
  }

  @Override
  public List<String> listChildren(String dir) {
    return s.listChildren(dir);
  }

  @Override
  public String describe() {
    return "counting " + s.describe();
  }
}
