package io.zarrsync.core.layout;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.mapping.VariableMapping;
import io.zarrsync.netcdf.Cf;
import io.zarrsync.netcdf.Variable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Helpers for layouts: reading a NetCDF variable's box in a store array's terms (padding beyond the
 * file's extent, converting to the array's dtype, fixed-length strings) and fill values.
 */
public final class RecordReads {
  private RecordReads() {}

  /**
   * One fill element of {@code spec} as stored: little-endian of the type's width; for {@code
   * |S<n>} the fill string's bytes NUL-padded to n; zeros when the array has no fill value.
   */
  public static byte[] fillElement(ArraySpec spec) {
    DataType t = spec.dataType();
    Object fill = spec.fillValue();
    if (t == DataType.STRING) {
      throw new IllegalArgumentException(spec.name() + ": STRING arrays have no fill bytes");
    }
    if (t == DataType.CHAR) {
      byte[] out = new byte[Math.max(1, spec.stringLength())];
      if (fill != null) {
        byte[] s = fill.toString().getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(s, 0, out, 0, Math.min(s.length, out.length));
      }
      return out;
    }
    if (fill == null) {
      return new byte[t.size()];
    }
    return Cf.rawElement(t, (Number) fill);
  }

  /** The shape of a box of {@code spec} as an NdArray: {@code count}, plus n for {@code |S<n>}. */
  public static int[] arrayShape(ArraySpec spec, int[] count) {
    if (spec.stringLength() == 0) {
      return count.clone();
    }
    int[] out = Arrays.copyOf(count, count.length + 1);
    out[count.length] = spec.stringLength();
    return out;
  }

  /** A box of {@code spec} holding only its fill value. */
  public static NdArray filled(ArraySpec spec, int[] count) {
    NdArray out = NdArray.allocate(spec.dataType(), arrayShape(spec, count));
    if (spec.dataType() == DataType.STRING) {
      out.fillString(spec.fillValue() == null ? "" : spec.fillValue().toString());
      return out;
    }
    fillPattern(out, fillElement(spec));
    return out;
  }

  /** Fills an array with a repeating byte pattern (one element, or one fixed-length string). */
  private static void fillPattern(NdArray out, byte[] element) {
    boolean zero = true;
    for (byte b : element) {
      zero &= b == 0;
    }
    if (zero) {
      return;
    }
    if (element.length == out.type().size()) {
      out.fillRaw(element);
      return;
    }
    java.nio.ByteBuffer b = out.buffer();
    for (int i = 0; i < b.limit(); i++) {
      b.put(i, element[i % element.length]);
    }
  }

  /**
   * Reads the box {@code (originInRecord, count)} of {@code v} for the store array {@code spec}.
   *
   * @param v the variable, or null if the file lacks it (the whole box is fill)
   * @param recordIndex the index along the variable's first dim (the record dim), or -1 for a
   *     variable without one (static arrays)
   * @param originInRecord origin in the array's dims without the record dim
   * @param count box extent in the same dims; parts beyond the file's extent are fill
   * @return an array of {@code spec}'s dtype and shape {@link #arrayShape(ArraySpec, int[])}
   */
  public static NdArray read(
      Variable v, ArraySpec spec, long recordIndex, long[] originInRecord, int[] count) {
    if (v == null) {
      return filled(spec, count);
    }
    long[] vshape = v.shape();
    int lead = recordIndex >= 0 ? 1 : 0;
    boolean strings = v.dataType() == DataType.CHAR && spec.stringLength() > 0;
    int fileStrLen = strings ? (int) vshape[vshape.length - 1] : 0;
    int rank = count.length;
    if (vshape.length != lead + rank + (strings ? 1 : 0)) {
      throw new IllegalArgumentException(
          v.name() + ": rank " + vshape.length + " does not fit array " + spec.name());
    }
    int[] valid = new int[rank];
    boolean empty = false;
    for (int d = 0; d < rank; d++) {
      long ext = vshape[lead + d];
      valid[d] = (int) Math.max(0, Math.min(count[d], ext - originInRecord[d]));
      empty |= valid[d] == 0;
    }
    if (empty && rank > 0) {
      return filled(spec, count);
    }
    int n = lead + rank + (strings ? 1 : 0);
    long[] fo = new long[n];
    int[] fc = new int[n];
    if (lead == 1) {
      fo[0] = recordIndex;
      fc[0] = 1;
    }
    for (int d = 0; d < rank; d++) {
      fo[lead + d] = originInRecord[d];
      fc[lead + d] = valid[d];
    }
    if (strings) {
      fc[n - 1] = fileStrLen;
    }
    NdArray raw = v.read(fo, fc);
    int[] rawShape = strings ? append(valid, fileStrLen) : valid.clone();
    NdArray data = reshape(raw, rawShape);
    if (data.type() != spec.dataType()) {
      data =
          spec.dataType().isFloatingPoint() && packed(v)
              ? unpack(data, v, spec)
              : convert(data, fileFill(v), spec);
    }
    boolean exact = Arrays.equals(valid, count) && (!strings || fileStrLen == spec.stringLength());
    if (exact) {
      return data;
    }
    NdArray out = filled(spec, count);
    int[] box = strings ? append(valid, Math.min(fileStrLen, spec.stringLength())) : valid;
    NdArray.copy(data, new int[box.length], out, new int[box.length], box);
    return out;
  }

  private static int[] append(int[] a, int last) {
    int[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = last;
    return out;
  }

  private static NdArray reshape(NdArray a, int[] shape) {
    if (Arrays.equals(a.shape(), shape)) {
      return a;
    }
    if (a.type() == DataType.STRING) {
      String[] s = new String[a.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = a.getString(i);
      }
      return NdArray.ofStrings(shape, s);
    }
    return NdArray.wrap(a.type(), shape, a.buffer());
  }

  /** True if the variable has {@code scale_factor} or {@code add_offset}. */
  public static boolean packed(Variable v) {
    return v.attribute("scale_factor").isPresent() || v.attribute("add_offset").isPresent();
  }

  /**
   * Unpacks raw values with the file's own {@code scale_factor}/{@code add_offset} into a
   * floating-point array; missing values (the file's fill or missing_value) become the array's fill
   * (NaN unless configured otherwise).
   */
  static NdArray unpack(NdArray raw, Variable v, ArraySpec spec) {
    double[] values = Cf.decode(raw, v.attributes());
    NdArray out = NdArray.allocate(spec.dataType(), raw.shape());
    double fill = spec.fillValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    for (int i = 0; i < values.length; i++) {
      out.setDouble(i, Double.isNaN(values[i]) ? fill : values[i]);
    }
    return out;
  }

  private static Optional<byte[]> fileFill(Variable v) {
    return VariableMapping.fillValue(v)
        .filter(f -> f instanceof Number)
        .map(f -> Cf.rawElement(v.dataType(), (Number) f));
  }

  /**
   * Converts numeric values to {@code spec}'s dtype; elements equal to the file's fill become the
   * array's fill.
   *
   * @throws IllegalArgumentException for a conversion between text and numbers
   */
  public static NdArray convert(NdArray data, Optional<byte[]> fileFill, ArraySpec spec) {
    DataType to = spec.dataType();
    if (!data.type().isNumeric() || !to.isNumeric()) {
      throw new IllegalArgumentException(
          spec.name() + ": cannot convert " + data.type() + " values to " + to);
    }
    NdArray out = NdArray.allocate(to, data.shape());
    byte[] toFill = fillElement(spec);
    java.nio.ByteBuffer src = data.buffer();
    java.nio.ByteBuffer dst = out.buffer();
    int es = data.type().size();
    int ts = to.size();
    byte[] ff = fileFill.orElse(null);
    for (int i = 0; i < data.size(); i++) {
      boolean isFill = ff != null;
      for (int b = 0; isFill && b < es; b++) {
        isFill = src.get(i * es + b) == ff[b];
      }
      if (isFill) {
        for (int b = 0; b < ts; b++) {
          dst.put(i * ts + b, toFill[b]);
        }
      } else if (to.isFloatingPoint() || data.type().isFloatingPoint()) {
        double x = data.getDouble(i);
        if (to.isFloatingPoint()) {
          out.setDouble(i, x);
        } else if (Double.isNaN(x)) {
          for (int b = 0; b < ts; b++) {
            dst.put(i * ts + b, toFill[b]);
          }
        } else {
          out.setLong(i, Math.round(x));
        }
      } else {
        out.setLong(i, data.getLong(i));
      }
    }
    return out;
  }
}
