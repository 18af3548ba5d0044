package io.zarrsync.zarr.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemStoreTest extends StoreContractTest {
  @TempDir Path tempDir;
  private Path root;

  @Override
  protected Store newStore() {
    root = tempDir.resolve("store.zarr");
    return new FileSystemStore(root);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<Path> allFiles() throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void keysAreFilesUnderTheRoot() throws IOException {
    store.put("sst/0.1", bytes("chunk"));
    assertThat(root.resolve("sst").resolve("0.1")).hasBinaryContent(bytes("chunk"));
    assertThat(store.describe()).isEqualTo(root.toString());
  }

  @Test
  void filesWrittenByOthersAreReadAndListed() throws IOException {
    Files.createDirectories(root.resolve("x"));
    Files.write(root.resolve("x").resolve("y"), bytes("outside"));
    assertThat(store.get("x/y")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("outside")));
    assertThat(store.list("")).containsExactly("x/y");
    assertThat(new FileSystemStore(root).list("")).containsExactly("x/y");
  }

  @Test
  void noTempFilesRemainAfterWrites() throws IOException {
    store.put("a/b", bytes("1"));
    store.put("a/b", bytes("2"));
    assertThat(store.putIfAbsent("a/c", bytes("3"))).isTrue();
    assertThat(store.putIfAbsent("a/c", bytes("4"))).isFalse();
    assertThat(allFiles())
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void tempFilesAreInvisible() throws IOException {
    store.put("a/b", bytes("1"));
    Files.write(root.resolve("a").resolve(FileSystemStore.TEMP_PREFIX + "123"), bytes("partial"));
    Files.write(root.resolve(FileSystemStore.TEMP_PREFIX + "9"), bytes("partial"));
    assertThat(store.list("")).containsExactly("a/b");
    assertThat(store.list("a/")).containsExactly("a/b");
    assertThat(store.listChildren("")).containsExactly("a/");
    assertThat(store.listChildren("a/")).containsExactly("a/b");
  }

  @Test
  void theTempPrefixIsReserved() {
    String key = "a/" + FileSystemStore.TEMP_PREFIX + "x";
    assertThatThrownBy(() -> store.put(key, bytes("1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deletePrunesEmptyParentsButKeepsTheRoot() throws IOException {
    store.put("a/b/c/d", bytes("1"));
    store.put("a/keep", bytes("2"));
    store.delete("a/b/c/d");
    assertThat(root.resolve("a").resolve("b")).doesNotExist();
    assertThat(root.resolve("a").resolve("keep")).exists();
    store.delete("a/keep");
    assertThat(root.resolve("a")).doesNotExist();
    assertThat(root).isDirectory();
  }

  @Test
  void aDirectoryIsNotAnObject() {
    store.put("a/b", bytes("1"));
    assertThat(store.get("a")).isEmpty();
    assertThat(store.exists("a")).isFalse();
    store.delete("a");
    assertThat(store.exists("a/b")).isTrue();
    assertThat(store.get("a/b/c")).isEmpty();
    assertThat(store.putIfAbsent("a", bytes("x"))).isFalse();
  }

  @Test
  void ioFailuresBecomeStoreExceptionsNamingTheKey() {
    store.put("file", bytes("1"));
    assertThatThrownBy(() -> store.put("file/below", bytes("2")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("file/below")
        .hasMessageContaining(root.toString());
  }

  @Test
  void aRootThatIsAFileFailsWithStoreException() throws IOException {
    Path file = tempDir.resolve("not-a-dir");
    Files.write(file, bytes("x"));
    FileSystemStore broken = new FileSystemStore(file);
    assertThatThrownBy(() -> broken.put("k", bytes("1"))).isInstanceOf(StoreException.class);
    assertThat(broken.get("k")).isEmpty();
    assertThat(broken.list("")).isEmpty();
  }

  @Test
  void aRelativeRootIsMadeAbsolute() {
    FileSystemStore relative = new FileSystemStore(Path.of("some", "..", "rel.zarr"));
    assertThat(relative.root()).isAbsolute();
    assertThat(relative.root().getFileName().toString()).isEqualTo("rel.zarr");
  }
}
