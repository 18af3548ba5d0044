package io.zarrsync.core.layout.profiles;

import io.zarrsync.api.DataType;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a NetCDF variable of a profile file lines up with its store array, whose dims are the record
 * dim followed by {@link #inner()}.
 *
 * <p>A char variable's last dimension holds the characters of one string ({@code |S<n>} in Zarr),
 * unless it is the record dimension or a growable one: Argo's {@code DATA_MODE(N_PROF)} is one
 * character per profile and {@code PRES_QC(N_PROF, N_LEVELS)} one per level, both stored as {@code
 * |S1} with those dims (xarray's decoding of the file would instead join them into strings).
 *
 * @param perProfile true if the variable's first dim is the record dim; false for a file-level
 *     variable (such as {@code DATE_UPDATE}), whose one value goes to every profile of the file
 * @param inner the dimensions after the record dim (without a string-length dim)
 * @param innerLengths the file's extent along each of {@link #inner()}
 * @param stringLength the file's string length (the last dim of a char variable), or 0
 */
record VariableShape(
    boolean perProfile, List<String> inner, List<Long> innerLengths, int stringLength) {

  VariableShape {
    inner = List.copyOf(inner);
    innerLengths = List.copyOf(innerLengths);
  }

  /**
   * The shape of {@code v}.
   *
   * @throws IllegalArgumentException with the reason (without the variable's name) if the record
   *     dimension is not the variable's first
   */
  static VariableShape of(Variable v, String recordDim, Set<String> growDims) {
    List<Dimension> dims = v.dimensions();
    List<String> names = dims.stream().map(Dimension::name).toList();
    int idx = names.indexOf(recordDim);
    if (idx > 0 || (idx == 0 && names.lastIndexOf(recordDim) != 0)) {
      throw new IllegalArgumentException(
          "dims "
              + names
              + " do not start with the record dimension "
              + recordDim
              + "; the profiles layout stores only variables with one slice per profile (or one"
              + " value per file)");
    }
    boolean perProfile = idx == 0;
    int first = perProfile ? 1 : 0;
    int last = dims.size();
    int stringLength = 0;
    if (v.dataType() == DataType.CHAR && last > first) {
      String lastName = names.get(last - 1);
      if (!growDims.contains(lastName)) {
        stringLength = Math.toIntExact(dims.get(last - 1).length());
        last--;
      }
    }
    List<String> inner = new ArrayList<>(names.subList(first, last));
    List<Long> lengths = new ArrayList<>(inner.size());
    for (int i = 0; i < inner.size(); i++) {
      lengths.add(dims.get(first + i).length());
    }
    return new VariableShape(perProfile, inner, lengths, stringLength);
  }

  /**
   * The store's {@code |S<n>} length for this file string length: 0 for single characters, as a
   * Zarr {@code |S1} array has no string-length dimension.
   */
  int storeStringLength() {
    return stringLength <= 1 ? 0 : stringLength;
  }
}
