package io.zarrsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.core.txn.TxnKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a Zarr reader can see of a store directory: every regular file outside {@code .zarrsync/},
 * by its key, with the SHA-256 of its bytes. Read from the file system itself rather than through
 * {@code FileSystemStore.list}, so temp files a killed writer left behind count too.
 */
final class StoreContent {
  private StoreContent() {}

  /** Key to SHA-256 of every file outside {@code .zarrsync/} (empty for a missing directory). */
  static Map<String, String> of(Path store) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(store)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(store)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String key = store.relativize(p).toString().replace('\\', '/');
        if (!TxnKeys.internal(key)) {
          out.put(key, sha256(Files.readAllBytes(p)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Keys present in only one of the two maps or with different content. */
  static Set<String> diff(Map<String, String> actual, Map<String, String> expected) {
    Set<String> out = new TreeSet<>();
    for (String k : actual.keySet()) {
      if (!Objects.equals(actual.get(k), expected.get(k))) {
        out.add(k);
      }
    }
    for (String k : expected.keySet()) {
      if (!actual.containsKey(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Asserts byte-identical Zarr content, naming the keys that differ. */
  static void assertSame(Path actual, Path expected, String context) {
    Map<String, String> a = of(actual);
    Map<String, String> e = of(expected);
    assertThat(e).as("reference store %s is empty", expected).isNotEmpty();
    assertThat(diff(a, e))
        .as(
            "%s: keys of %s that differ from a fresh sync (%d keys) in %s",
            context, actual, e.size(), expected)
        .isEmpty();
  }

  /** Every file and directory left under the store's staging area {@code .zarrsync/txn/}. */
  static List<String> staging(Path store) {
    Path txn = store.resolve(TxnKeys.TXN);
    if (!Files.exists(txn)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(txn)) {
      return s.filter(p -> !p.equals(txn)).map(p -> store.relativize(p).toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
