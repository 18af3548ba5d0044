package io.zarrsync.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.DataType;
import io.zarrsync.api.StoreConflictException;
import io.zarrsync.zarr.store.FileSystemStore;
import io.zarrsync.zarr.store.MemoryStore;
import io.zarrsync.zarr.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZarrGroupTest {
  private final Store store = new MemoryStore();

  private static ArrayMetadata sst() {
    return new ArrayMetadata(
        List.of(4L, 6L),
        List.of(2, 3),
        DataType.SHORT,
        0,
        -32768,
        Codec.zstd(3),
        List.of("time", "lon"),
        Map.of("scale_factor", 0.01, "add_offset", 273.15, "units", "kelvin"));
  }

  private static String text(Store s, String key) {
    return new String(s.get(key).orElseThrow(), StandardCharsets.UTF_8);
  }

  @Test
  void createWritesGroupAndAttributes() {
    ZarrGroup g = ZarrGroup.create(store, ZarrFormat.V2, Map.of("title", "GHRSST", "n", 1));
    assertThat(g.format()).isEqualTo(ZarrFormat.V2);
    assertThat(g.store()).isSameAs(store);
    assertThat(text(store, ".zgroup")).isEqualTo("{\n    \"zarr_format\": 2\n}");
    assertThat(text(store, ".zattrs")).isEqualTo("{\n    \"n\": 1,\n    \"title\": \"GHRSST\"\n}");
    assertThat(g.attributes()).containsEntry("n", 1L);
    assertThat(ZarrGroup.exists(store)).isTrue();
    assertThat(g.arrayNames()).isEmpty();
  }

  @Test
  void createFailsWhenAGroupExists() {
    ZarrGroup.create(store, ZarrFormat.V2, Map.of());
    assertThatThrownBy(() -> ZarrGroup.create(store, ZarrFormat.V2, Map.of()))
        .isInstanceOf(StoreConflictException.class)
        .hasMessageContaining(store.describe());
  }

  @Test
  void v3IsNotSupportedYet() {
    assertThatThrownBy(() -> ZarrGroup.create(store, ZarrFormat.V3, Map.of()))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("Zarr v3");
    assertThat(store.list("")).isEmpty();
    store.put(
        "zarr.json",
        "{\"zarr_format\": 3, \"node_type\": \"group\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(ZarrGroup.exists(store)).isTrue();
    assertThatThrownBy(() -> ZarrGroup.open(store))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("Zarr v3");
  }

  @Test
  void openWithoutAGroupFails() {
    assertThat(ZarrGroup.exists(store)).isFalse();
    assertThatThrownBy(() -> ZarrGroup.open(store))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("no Zarr group");
    store.put(".zarray", new byte[] {'{', '}'});
    assertThatThrownBy(() -> ZarrGroup.open(store)).hasMessageContaining("root is a Zarr array");
  }

  @Test
  void openReadsArraysWithoutConsolidatedMetadata() {
    ZarrGroup g = ZarrGroup.create(store, ZarrFormat.V2, Map.of("title", "t"));
    g.createArray("sst", sst());
    g.createArray("a_first", sst().withShape(List.of(1L, 1L)));
    store.put("notes/readme.txt", new byte[] {1}); // a foreign directory is not an array
    store.put(".zarrsync/log/00001", new byte[] {1});
    ZarrGroup opened = ZarrGroup.open(store);
    assertThat(opened.arrayNames()).containsExactly("a_first", "sst");
    assertThat(opened.array("sst").orElseThrow().metadata()).isEqualTo(sst());
    assertThat(opened.attributes()).isEqualTo(Map.of("title", "t"));
    assertThat(opened.array("missing")).isEmpty();
  }

  @Test
  void consolidatedMetadataIsPreferredAndMatchesTheArrays() {
    ZarrGroup g = ZarrGroup.create(store, ZarrFormat.V2, Map.of("title", "t"));
    g.createArray("sst", sst());
    g.consolidate();
    String zmetadata = text(store, ".zmetadata");
    assertThat(zmetadata)
        .startsWith("{\n    \"metadata\": {\n        \".zattrs\": {\n            \"title\": \"t\"")
        .contains("\"sst/.zarray\": {")
        .contains("\"sst/.zattrs\": {")
        .endsWith("    \"zarr_consolidated_format\": 1\n}");
    // An array added after consolidation is visible only to unconsolidated readers.
    g.createArray("late", sst());
    assertThat(ZarrGroup.open(store).arrayNames()).containsExactly("sst");
    assertThat(ZarrGroup.openUnconsolidated(store).arrayNames()).containsExactly("late", "sst");
    g.consolidate();
    ZarrGroup opened = ZarrGroup.open(store);
    assertThat(opened.arrayNames()).containsExactly("late", "sst");
    assertThat(opened.array("sst").orElseThrow().metadata()).isEqualTo(sst());
  }

  @Test
  void consolidateUsesTheInMemoryViewIncludingResizesAndAttributes() {
    ZarrGroup g = ZarrGroup.create(store, ZarrFormat.V2, Map.of());
    ZarrArray a = g.createArray("sst", sst());
    ZarrArray resized = a.resize(List.of(10L, 6L));
    assertThat(resized.metadata().shape()).containsExactly(10L, 6L);
    assertThat(a.metadata().shape()).containsExactly(10L, 6L);
    a.setAttributes(Map.of("units", "K"));
    g.setAttributes(Map.of("history", "resized"));
    g.consolidate();
    ZarrGroup opened = ZarrGroup.open(store);
    ArrayMetadata m = opened.array("sst").orElseThrow().metadata();
    assertThat(m.shape()).containsExactly(10L, 6L);
    assertThat(m.attributes()).isEqualTo(Map.of("units", "K"));
    assertThat(m.dimensions()).containsExactly("time", "lon");
    assertThat(opened.attributes()).isEqualTo(Map.of("history", "resized"));
    assertThat(ZarrGroup.openUnconsolidated(store).array("sst").orElseThrow().metadata())
        .isEqualTo(m);
  }

  @Test
  void createArrayValidatesTheName() {
    ZarrGroup g = ZarrGroup.create(store, ZarrFormat.V2, Map.of());
    g.createArray("sst", sst());
    assertThatThrownBy(() -> g.createArray("sst", sst()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already exists");
    for (String bad : List.of("", "a/b", ".hidden", "..", "a\\b")) {
      assertThatThrownBy(() -> g.createArray(bad, sst()))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void createArrayRefusesAnArrayThatAnotherWriterCreated() {
    ZarrGroup g = ZarrGroup.create(store, ZarrFormat.V2, Map.of());
    ZarrGroup other = ZarrGroup.open(store);
    other.createArray("sst", sst());
    assertThatThrownBy(() -> g.createArray("sst", sst())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void malformedArrayMetadataNamesTheKey() {
    ZarrGroup g = ZarrGroup.create(store, ZarrFormat.V2, Map.of());
    g.createArray("sst", sst());
    store.put("sst/.zarray", "{\"zarr_format\": 2".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ZarrGroup.open(store))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("sst/.zarray");
  }

  @Test
  void worksOnAFileSystemStore(@TempDir Path dir) {
    Store fs = new FileSystemStore(dir.resolve("g.zarr"));
    ZarrGroup g = ZarrGroup.create(fs, ZarrFormat.V2, Map.of("a", "b"));
    ZarrArray a = g.createArray("sst", sst());
    a.write(new long[] {1, 1}, a.read(new long[] {0, 0}, new int[] {2, 2}));
    g.consolidate();
    assertThat(dir.resolve("g.zarr").resolve("sst").resolve(".zarray")).exists();
    ZarrGroup opened = ZarrGroup.openUnconsolidated(new FileSystemStore(dir.resolve("g.zarr")));
    assertThat(opened.arrayNames()).containsExactly("sst");
  }
}
