package io.zarrsync.core.mapping;

import io.zarrsync.api.DataType;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.zarr.ArrayMetadata;
import io.zarrsync.zarr.Codec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Zarr array that holds one NetCDF variable.
 *
 * <p>Values are kept as the file encodes them (packed int16 stays int16 with its {@code
 * scale_factor}/{@code add_offset}), so xarray decodes the Zarr array exactly as it decodes the
 * file. {@code _FillValue} moves into the array's fill value, as xarray writes it; a variable
 * without one gets no fill value (xarray masks nothing there either). A char variable loses its
 * last dimension, which becomes the length of a fixed-length byte string ({@code |S<n>}), as
 * xarray's character-array decoding does.
 */
public final class VariableMapping {
  /** Attributes that are format internals or moved into the array metadata. */
  private static final List<String> EXCLUDED = List.of("_FillValue", "_ARRAY_DIMENSIONS");

  private VariableMapping() {}

  /**
   * The char variables of a file whose last dimension becomes the length of a fixed-length byte
   * string ({@code |S<n>}) in Zarr, chosen so that {@code xarray.open_zarr} of the store decodes
   * every variable exactly as {@code xarray.open_dataset} decodes the file.
   *
   * <p>xarray folds the last dimension of a char variable into strings only when that dimension is
   * "stackable": no variable has its name, and every variable using it is a char variable with it
   * last. Argo's {@code STRING8} is; {@code N_PROF} is not, so {@code DATA_MODE(N_PROF)} stays one
   * character per profile. Folding a dimension in the store can make another dimension stackable
   * there that was not in the file (Argo's {@code N_PARAM} once {@code STATION_PARAMETERS(N_PROF,
   * N_PARAM, STRING64)} became {@code |S64 (N_PROF, N_PARAM)}), which would wrongly fold {@code
   * PARAMETER_DATA_MODE(N_PROF, N_PARAM)}; such variables keep their string dimension as {@code
   * |S1} characters, which xarray then folds itself.
   */
  public static Set<String> foldedCharVariables(NetcdfFile file) {
    List<Variable> vars = file.variables();
    Set<String> names = new HashSet<>();
    for (Variable v : vars) {
      names.add(v.name());
    }
    Set<String> fileStackable = stackable(vars, Set.of(), names);
    Set<String> folded = new HashSet<>();
    for (Variable v : vars) {
      List<Dimension> d = v.dimensions();
      if (v.dataType() == DataType.CHAR
          && !d.isEmpty()
          && fileStackable.contains(d.get(d.size() - 1).name())) {
        folded.add(v.name());
      }
    }
    while (true) {
      Set<String> zarrStackable = stackable(vars, folded, names);
      Set<String> unfold = new HashSet<>();
      for (Variable w : vars) {
        List<Dimension> d = w.dimensions();
        if (w.dataType() != DataType.CHAR || d.isEmpty() || folded.contains(w.name())) {
          continue;
        }
        String last = d.get(d.size() - 1).name();
        if (!fileStackable.contains(last) && zarrStackable.contains(last)) {
          for (Variable u : vars) {
            List<Dimension> ud = u.dimensions();
            if (folded.contains(u.name())
                && ud.size() >= 2
                && ud.get(ud.size() - 2).name().equals(last)) {
              unfold.add(u.name());
            }
          }
        }
      }
      if (unfold.isEmpty()) {
        return folded;
      }
      folded.removeAll(unfold);
    }
  }

  /** Dimensions xarray would fold, given which variables already lost their last dimension. */
  private static Set<String> stackable(List<Variable> vars, Set<String> folded, Set<String> names) {
    Set<String> candidates = new HashSet<>();
    Set<String> excluded = new HashSet<>(names);
    for (Variable v : vars) {
      List<Dimension> dims = v.dimensions();
      int rank = folded.contains(v.name()) ? dims.size() - 1 : dims.size();
      for (int i = 0; i < rank; i++) {
        String d = dims.get(i).name();
        if (v.dataType() == DataType.CHAR && i == rank - 1) {
          candidates.add(d);
        } else {
          excluded.add(d);
        }
      }
    }
    candidates.removeAll(excluded);
    return candidates;
  }

  /** The dimensions a variable has in Zarr: a char variable drops its string-length dimension. */
  public static List<Dimension> zarrDimensions(Variable v) {
    List<Dimension> dims = v.dimensions();
    if (v.dataType() == DataType.CHAR && !dims.isEmpty()) {
      return dims.subList(0, dims.size() - 1);
    }
    return dims;
  }

  /** The dimensions of {@code v} in Zarr: without its last one if it is folded into strings. */
  public static List<Dimension> zarrDimensions(Variable v, boolean fold) {
    return fold && v.dataType() == DataType.CHAR ? zarrDimensions(v) : v.dimensions();
  }

  /** The string length of {@code v} in Zarr if it is folded, else 0. */
  public static int stringLength(Variable v, boolean fold) {
    return fold ? stringLength(v) : 0;
  }

  /**
   * The string length of a char variable (its last dimension), 0 for every other type. In Zarr a
   * length of 1 is plain {@code |S1} with {@link ArrayMetadata#stringLength()} 0.
   */
  public static int stringLength(Variable v) {
    List<Dimension> dims = v.dimensions();
    if (v.dataType() == DataType.CHAR && !dims.isEmpty()) {
      return Math.toIntExact(dims.get(dims.size() - 1).length());
    }
    return 0;
  }

  /**
   * Metadata for {@code v} with the given Zarr shape and chunks (both without the string-length
   * dimension of char variables).
   */
  public static ArrayMetadata metadata(
      Variable v, List<Long> shape, List<Integer> chunks, Codec compressor) {
    return metadata(v, true, shape, chunks, compressor);
  }

  /**
   * Metadata for {@code v} with the given Zarr shape and chunks, folding a char variable's last
   * dimension into a string length only if {@code fold} ({@link #foldedCharVariables}).
   */
  public static ArrayMetadata metadata(
      Variable v, boolean fold, List<Long> shape, List<Integer> chunks, Codec compressor) {
    List<String> dimNames = new ArrayList<>();
    for (Dimension d : zarrDimensions(v, fold)) {
      dimNames.add(d.name());
    }
    Map<String, Object> attrs = AttributeMapping.toJson(v.attributes(), EXCLUDED);
    return new ArrayMetadata(
        List.copyOf(shape),
        List.copyOf(chunks),
        v.dataType(),
        stringLength(v, fold) == 1 ? 0 : stringLength(v, fold),
        fillValue(v).orElse(null),
        compressor,
        dimNames,
        attrs);
  }

  /**
   * The variable's {@code _FillValue} as a value of its Zarr type: unsigned types get the unsigned
   * reading of the bits (a NetCDF-3 {@code _Unsigned} byte with fill -1 has fill 255), char
   * variables a string.
   */
  public static Optional<Object> fillValue(Variable v) {
    Optional<Attribute> fill = v.attribute("_FillValue");
    if (fill.isEmpty() || fill.get().values().isEmpty()) {
      return Optional.empty();
    }
    Attribute a = fill.get();
    DataType t = v.dataType();
    if (t == DataType.CHAR || t == DataType.STRING) {
      Object raw = a.values().get(0);
      return Optional.of(raw instanceof String s ? s : String.valueOf(raw));
    }
    Number n = (Number) a.values().get(0);
    return Optional.of(asType(n, t));
  }

  /** {@code n} converted to the value range of {@code t} (two's complement bits reinterpreted). */
  static Number asType(Number n, DataType t) {
    if (t.isFloatingPoint()) {
      return t == DataType.FLOAT ? (Number) n.floatValue() : (Number) n.doubleValue();
    }
    long bits = n instanceof BigInteger b ? b.longValue() : n.longValue();
    return switch (t) {
      case UBYTE -> bits & 0xFFL;
      case USHORT -> bits & 0xFFFFL;
      case UINT -> bits & 0xFFFFFFFFL;
      case ULONG -> bits >= 0 ? (Number) bits : new BigInteger(Long.toUnsignedString(bits));
      case BYTE -> (long) (byte) bits;
      case SHORT -> (long) (short) bits;
      case INT -> (long) (int) bits;
      default -> bits;
    };
  }
}
