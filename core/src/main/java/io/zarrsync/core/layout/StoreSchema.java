package io.zarrsync.core.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shape of a collection's store: its dimensions, arrays and global attributes. A layout builds
 * it from the collection's first file ({@link Layout#schema}); the engine persists it in the
 * manifest and only ever changes dimension sizes afterwards.
 *
 * @param recordDim the dimension records are laid along (grid: {@code time}; profiles: {@code
 *     N_PROF})
 * @param rows how records get their row
 * @param dims every dimension used by an array, the record dim included
 * @param arrays the arrays, in the order they are created
 * @param attributes the group's global attributes ({@code .zattrs})
 */
public record StoreSchema(
    String recordDim,
    RowPolicy rows,
    List<DimSpec> dims,
    List<ArraySpec> arrays,
    Map<String, Object> attributes) {
  public StoreSchema {
    Objects.requireNonNull(recordDim, "recordDim");
    Objects.requireNonNull(rows, "rows");
    dims = List.copyOf(dims);
    arrays = List.copyOf(arrays);
    attributes = Map.copyOf(attributes);
    validate(recordDim, dims, arrays);
  }

  private static void validate(String recordDim, List<DimSpec> dims, List<ArraySpec> arrays) {
    long records = dims.stream().filter(d -> d.kind() == DimKind.RECORD).count();
    DimSpec rec =
        dims.stream()
            .filter(d -> d.name().equals(recordDim))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no dimension " + recordDim));
    if (rec.kind() != DimKind.RECORD || records != 1) {
      throw new IllegalArgumentException(
          "exactly one RECORD dimension expected, and it must be " + recordDim);
    }
    if (dims.stream().map(DimSpec::name).distinct().count() != dims.size()) {
      throw new IllegalArgumentException("duplicate dimension names in " + dims);
    }
    if (arrays.stream().map(ArraySpec::name).distinct().count() != arrays.size()) {
      throw new IllegalArgumentException("duplicate array names");
    }
    for (ArraySpec a : arrays) {
      for (String d : a.dims()) {
        if (dims.stream().noneMatch(x -> x.name().equals(d))) {
          throw new IllegalArgumentException("array " + a.name() + " uses unknown dim " + d);
        }
      }
      boolean recordFirst = !a.dims().isEmpty() && a.dims().get(0).equals(recordDim);
      boolean hasRecord = a.dims().contains(recordDim);
      if (a.role() == ArrayRole.STATIC ? hasRecord : !recordFirst) {
        throw new IllegalArgumentException(
            "array "
                + a.name()
                + ": "
                + a.role()
                + " arrays must "
                + (a.role() == ArrayRole.STATIC ? "not use " : "start with ")
                + "the record dimension "
                + recordDim
                + " (dims "
                + a.dims()
                + ")");
      }
      if (a.role() == ArrayRole.RECORD && a.chunks() != null && a.chunks().get(0) != rec.chunk()) {
        throw new IllegalArgumentException(
            "array "
                + a.name()
                + ": record arrays share the record dim's chunk length "
                + rec.chunk());
      }
      if (a.dims().subList(1, a.dims().size()).contains(recordDim)) {
        throw new IllegalArgumentException("array " + a.name() + " repeats " + recordDim);
      }
    }
  }

  /** The dimension called {@code name}. */
  public DimSpec dim(String name) {
    return dims.stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no dimension " + name));
  }

  /** The record dimension. */
  public DimSpec record() {
    return dim(recordDim);
  }

  /** The array called {@code name}, if any. */
  public Optional<ArraySpec> array(String name) {
    return arrays.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** The arrays with the given role, in schema order. */
  public List<ArraySpec> arrays(ArrayRole role) {
    return arrays.stream().filter(a -> a.role() == role).toList();
  }

  /** Current extents of {@code array} (excluding a {@code |S<n>} string length). */
  public long[] shape(ArraySpec array) {
    return array.dims().stream().mapToLong(d -> dim(d).size()).toArray();
  }

  /** Chunk shape of {@code array}. */
  public int[] chunks(ArraySpec array) {
    if (array.chunks() != null) {
      return array.chunks().stream().mapToInt(Integer::intValue).toArray();
    }
    return array.dims().stream().mapToInt(d -> dim(d).chunk()).toArray();
  }

  /** A copy with dimension {@code name} resized to {@code size}. */
  public StoreSchema withDimSize(String name, long size) {
    List<DimSpec> out = new ArrayList<>(dims.size());
    for (DimSpec d : dims) {
      out.add(d.name().equals(name) ? d.withSize(size) : d);
    }
    return new StoreSchema(recordDim, rows, out, arrays, attributes);
  }
}
