package io.zarrsync.zarr.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Store} in memory, for tests and dry runs. Values are copied in and out, so callers may
 * reuse their arrays.
 */
public final class MemoryStore implements Store {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final ConcurrentSkipListMap<String, byte[]> entries = new ConcurrentSkipListMap<>();
  private final String name = "memory:" + COUNTER.incrementAndGet();

  @Override
  public Optional<byte[]> get(String key) {
    byte[] value = entries.get(StoreKeys.validate(key));
    return value == null ? Optional.empty() : Optional.of(value.clone());
  }

  @Override
  public void put(String key, byte[] value) {
    entries.put(StoreKeys.validate(key), value.clone());
  }

  @Override
  public boolean putIfAbsent(String key, byte[] value) {
    return entries.putIfAbsent(StoreKeys.validate(key), value.clone()) == null;
  }

  @Override
  public void delete(String key) {
    entries.remove(StoreKeys.validate(key));
  }

  @Override
  public boolean exists(String key) {
    return entries.containsKey(StoreKeys.validate(key));
  }

  @Override
  public List<String> list(String prefix) {
    StoreKeys.validatePrefix(prefix);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : entries.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(e.getKey());
    }
    return out;
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public String toString() {
    return describe();
  }
}
