package io.zarrsync.core.layout.profiles;

import io.zarrsync.api.DataType;
import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Cf;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.Variable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The values of an identity or rank field, one per profile: text (trimmed) or a number ({@link
 * Long} for integers, {@link Double} for floats), or {@code null} where the field is blank, equals
 * its fill value, is not a finite number, or the file lacks the variable. A variable without the
 * record dimension (such as Argo's {@code DATE_UPDATE}) gives its one value to every profile.
 *
 * @param values one value per profile, {@code null} for blank
 * @param numeric true if the variable is numeric (for the rank of blanks)
 */
record FieldValues(List<Object> values, boolean numeric) {
  FieldValues {
    values = Collections.unmodifiableList(new ArrayList<>(values));
  }

  /**
   * Reads {@code name} for the {@code profiles} profiles of {@code file}.
   *
   * @throws InvalidSourceFileException if the variable holds more than one value per profile
   */
  static FieldValues read(
      NetcdfFile file, String key, String name, String recordDim, int profiles) {
    Optional<Variable> found = file.findVariable(name);
    if (found.isEmpty()) {
      return new FieldValues(Collections.nCopies(profiles, null), false);
    }
    Variable v = found.get();
    List<String> dims = v.dimensions().stream().map(Dimension::name).toList();
    boolean perProfile = !dims.isEmpty() && dims.get(0).equals(recordDim);
    int valueDims = dims.size() - (perProfile ? 1 : 0);
    boolean text = v.dataType() == DataType.CHAR;
    if (dims.subList(perProfile ? 1 : 0, dims.size()).contains(recordDim)
        || valueDims > (text ? 1 : 0)) {
      throw new InvalidSourceFileException(
          key,
          name
              + ": dims "
              + dims
              + " hold more than one value per profile; identity and rank fields need one value"
              + " per profile ("
              + recordDim
              + " or "
              + recordDim
              + ", STRINGn) or one per file");
    }
    if (!text && !v.dataType().isNumeric() && v.dataType() != DataType.STRING) {
      throw new InvalidSourceFileException(
          key, name + ": type " + v.dataType() + " cannot be an identity or rank field");
    }
    NdArray raw = v.read();
    int count = perProfile ? profiles : 1;
    List<Object> one = new ArrayList<>(count);
    if (text) {
      String fill = fillText(v);
      int len = valueDims == 1 ? raw.shape()[raw.rank() - 1] : 1;
      byte[] bytes = raw.toByteArray();
      for (int i = 0; i < count; i++) {
        String s = trim(new String(bytes, i * len, len, StandardCharsets.ISO_8859_1));
        one.add(s.isEmpty() || s.equals(fill) ? null : s);
      }
    } else if (v.dataType() == DataType.STRING) {
      for (int i = 0; i < count; i++) {
        String s = trim(raw.getString(i));
        one.add(s.isEmpty() ? null : s);
      }
    } else {
      boolean[] missing = Cf.missing(raw, v.attributes());
      for (int i = 0; i < count; i++) {
        if (missing[i]) {
          one.add(null);
        } else if (v.dataType().isFloatingPoint()) {
          double d = raw.getDouble(i);
          one.add(Double.isFinite(d) ? (Object) d : null);
        } else {
          one.add(raw.getLong(i));
        }
      }
    }
    List<Object> values = perProfile ? one : Collections.nCopies(profiles, one.get(0));
    return new FieldValues(values, v.dataType().isNumeric());
  }

  /** The value of profile {@code p}, or {@code null} when blank. */
  Object get(int p) {
    return values.get(p);
  }

  /** A field value as identity text: integers without a decimal point. */
  static String text(Object value) {
    return value.toString();
  }

  private static String fillText(Variable v) {
    return v.attribute("_FillValue").map(Attribute::stringValue).map(FieldValues::trim).orElse("");
  }

  /** Strips spaces and NULs at both ends (Argo pads text with blanks). */
  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isPad(s.charAt(start))) {
      start++;
    }
    while (end > start && isPad(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isPad(char c) {
    return c == ' ' || c == '\0' || c == '\t';
  }

  @Override
  public String toString() {
    return "FieldValues" + Arrays.toString(values.toArray());
  }
}
