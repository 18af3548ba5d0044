package io.zarrsync.aws.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.zarr.store.Store;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A store's Zarr content (every key outside {@code .zarrsync/}) as key to SHA-256, and checks. */
public final class StoreContent {
  private StoreContent() {}

  public static Map<String, String> of(Store store) {
    Map<String, String> out = new TreeMap<>();
    for (String k : store.list("")) {
      if (!TxnKeys.internal(k)) {
        out.put(k, sha(store.get(k).orElseThrow()));
      }
    }
    return out;
  }

  /** Asserts the same keys with the same bytes, naming the keys that differ. */
  public static void assertSame(Store actual, Store expected) {
    Map<String, String> a = of(actual);
    Map<String, String> e = of(expected);
    Set<String> diff = new TreeSet<>();
    for (String k : a.keySet()) {
      if (!Objects.equals(a.get(k), e.get(k))) {
        diff.add(k);
      }
    }
    for (String k : e.keySet()) {
      if (!a.containsKey(k)) {
        diff.add(k);
      }
    }
    assertThat(diff).as("keys that differ from the reference store").isEmpty();
    assertThat(a).as("store content").isNotEmpty();
  }

  private static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
