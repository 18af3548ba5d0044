package io.zarrsync.core;

import io.zarrsync.api.StoreException;
import io.zarrsync.zarr.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Simulates a writer that dies: once {@code dieAt(operation, key)} holds for a write, that write
 * and every later operation fail, as if the process was killed there.
 */
class DyingStore implements Store {
  private final Store s;
  private final BiPredicate<String, String> dieAt;
  private volatile boolean dead;
  private int writes;

  DyingStore(Store s, BiPredicate<String, String> dieAt) {
    this.s = s;
    this.dieAt = dieAt;
  }

  boolean dead() {
    return dead;
  }

  synchronized int writes() {
    return writes;
  }

  private synchronized void check(String op, String key) {
    if (!dead && dieAt.test(op, key)) {
      dead = true;
    }
    if (dead) {
      throw new StoreException("injected crash at " + op + " " + key);
    }
    writes++;
  }

  private void alive() {
    if (dead) {
      throw new StoreException("the writer is dead");
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    alive();
    return s.get(key);
  }

  @Override
  public void put(String key, byte[] value) {
    check("put", key);
    s.put(key, value);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] value) {
    check("putIfAbsent", key);
    return s.putIfAbsent(key, value);
  }

  @Override
  public void delete(String key) {
    check("delete", key);
    s.delete(key);
  }

  @Override
  public boolean exists(String key) {
    alive();
    return s.exists(key);
  }

  @Override
  public List<String> list(String prefix) {
    alive();
    return s.list(prefix);
  }

  @Override
  public List<String> listChildren(String dir) {
    alive();
    return s.listChildren(dir);
  }

  @Override
  public String describe() {
    return "dying " + s.describe();
  }
}
