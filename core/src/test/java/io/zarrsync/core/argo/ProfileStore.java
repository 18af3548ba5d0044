package io.zarrsync.core.argo;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.zarr.ArrayMetadata;
import io.zarrsync.zarr.ZarrArray;
import io.zarrsync.zarr.ZarrGroup;
import io.zarrsync.zarr.store.FileSystemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A profiles store read back whole with the zarr module, for assertions: rows by the identity the
 * test computes from the stored PLATFORM_NUMBER, CYCLE_NUMBER, DIRECTION and SOURCE_POSITION
 * (SOURCE_KEY when a field is blank), and each row's bytes per array.
 */
public final class ProfileStore {
  private final Map<String, NdArray> arrays = new LinkedHashMap<>();
  private final Map<String, ArrayMetadata> metadata = new LinkedHashMap<>();
  private final int rows;

  private ProfileStore(ZarrGroup group) {
    for (String name : group.arrayNames()) {
      ZarrArray a = group.array(name).orElseThrow();
      long[] shape = a.metadata().shapeArray();
      int[] count = Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
      arrays.put(name, a.read(new long[shape.length], count));
      metadata.put(name, a.metadata());
    }
    rows = Math.toIntExact(group.array("SOURCE_KEY").orElseThrow().metadata().shapeArray()[0]);
  }

  public static ProfileStore read(Path dir) {
    return new ProfileStore(ZarrGroup.open(new FileSystemStore(dir)));
  }

  public int rows() {
    return rows;
  }

  public long dim(String array, int axis) {
    return metadata.get(array).shapeArray()[axis];
  }

  /** The bytes (or the one value) of {@code array} in {@code row}. */
  public byte[] rowBytes(String array, int row) {
    NdArray a = arrays.get(array);
    int per = a.size() / rows;
    byte[] all = a.toByteArray();
    int es = all.length / a.size();
    return Arrays.copyOfRange(all, row * per * es, (row + 1) * per * es);
  }

  /** A text array's row as a string without NUL padding (spaces kept). */
  public String text(String array, int row) {
    return new String(rowBytes(array, row), StandardCharsets.ISO_8859_1).replace("\0", "");
  }

  /** A numeric array's row as doubles. */
  public double[] numbers(String array, int row) {
    NdArray a = arrays.get(array);
    int per = a.size() / rows;
    double[] out = new double[per];
    for (int i = 0; i < per; i++) {
      out[i] = a.getDouble(row * per + i);
    }
    return out;
  }

  /** The source key a row shows, or null for a blank row. */
  public String key(int row) {
    String k = text("SOURCE_KEY", row);
    return k.isEmpty() ? null : k;
  }

  public int position(int row) {
    return (int) arrays.get("SOURCE_POSITION").getLong(row);
  }

  /** The identity the layout should have given the profile in {@code row}. */
  public String identity(int row) {
    String platform = text("PLATFORM_NUMBER", row).trim();
    long cycle = arrays.get("CYCLE_NUMBER").getLong(row);
    String direction = text("DIRECTION", row).trim();
    if (platform.isEmpty() || cycle == 99999 || direction.isEmpty()) {
      return "file:" + key(row) + "#" + position(row);
    }
    return platform + "/" + cycle + "/" + direction + "/" + position(row);
  }

  /** Rows showing a profile, by identity; fails if an identity is shown twice. */
  public Map<String, Integer> shown() {
    Map<String, Integer> out = new TreeMap<>();
    for (int r = 0; r < rows; r++) {
      if (key(r) != null) {
        Integer before = out.put(identity(r), r);
        assertThat(before).as("identity " + identity(r) + " shown in two rows").isNull();
      }
    }
    return out;
  }

  /** The key shown for each identity. */
  public Map<String, String> shownKeys() {
    Map<String, String> out = new TreeMap<>();
    shown().forEach((id, r) -> out.put(id, key(r) + "#" + position(r)));
    return out;
  }

  /** Rows showing nothing: every array holds only its fill there. */
  public int blankRows() {
    int n = 0;
    for (int r = 0; r < rows; r++) {
      if (key(r) == null) {
        for (String name : arrays.keySet()) {
          assertThat(isFill(name, rowBytes(name, r))).as(name + " of blank row " + r).isTrue();
        }
        n++;
      }
    }
    return n;
  }

  private boolean isFill(String array, byte[] bytes) {
    byte[] fill = fillElement(metadata.get(array));
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != fill[i % fill.length]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] fillElement(ArrayMetadata m) {
    Object f = m.fillValue();
    DataType t = m.dataType();
    if (t == DataType.CHAR) {
      byte[] out = new byte[Math.max(1, m.stringLength())];
      if (f != null) {
        byte[] b = f.toString().getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(b, 0, out, 0, b.length);
      }
      return out;
    }
    return f == null ? new byte[t.size()] : io.zarrsync.netcdf.Cf.rawElement(t, (Number) f);
  }

  /**
   * What the store shows, independent of row order: per identity, every array's bytes over the row,
   * with level arrays cut to {@code levels} (the rest must be fill).
   */
  public Map<String, Map<String, List<Byte>>> content(long levels) {
    Map<String, Map<String, List<Byte>>> out = new TreeMap<>();
    shown()
        .forEach(
            (id, r) -> {
              Map<String, List<Byte>> row = new TreeMap<>();
              for (String name : arrays.keySet()) {
                byte[] b = rowBytes(name, r);
                List<String> dims = metadata.get(name).dimensions();
                if (dims.size() == 2 && dims.get(1).equals("N_LEVELS")) {
                  int keep = (int) (b.length / dim(name, 1) * levels);
                  assertThat(isFill(name, Arrays.copyOfRange(b, keep, b.length)))
                      .as(name + " beyond level " + levels + " of " + id)
                      .isTrue();
                  b = Arrays.copyOf(b, keep);
                }
                row.put(name, asList(b));
              }
              out.put(id, row);
            });
    return out;
  }

  private static List<Byte> asList(byte[] b) {
    Byte[] boxed = new Byte[b.length];
    for (int i = 0; i < b.length; i++) {
      boxed[i] = b[i];
    }
    return List.of(boxed);
  }

  /** Attributes per array (for comparing metadata between stores). */
  public Map<String, Object> arrayAttributes() {
    Map<String, Object> out = new HashMap<>();
    metadata.forEach((k, m) -> out.put(k, m.attributes()));
    return out;
  }
}
