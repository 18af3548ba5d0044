package io.zarrsync.core.layout.profiles;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.RecordReads;
import io.zarrsync.core.mapping.VariableMapping;
import io.zarrsync.netcdf.Cf;
import io.zarrsync.netcdf.Variable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads boxes of one store array from one NetCDF variable of a profile file: the profile's slice
 * (or the file-level value), clipped to the file's extent and padded with the array's fill value,
 * strings NUL-padded to the store's length, values converted where the config overrides the type.
 *
 * <p>Unlike {@link RecordReads#read}, it also accepts single characters kept in a length-1 string
 * dimension, and it replaces the file's {@code _FillValue} by the store's fill when the two differ
 * but the type does not (a {@code fill:} override), so such values stay missing in the store.
 */
final class VariableReader {
  private final ArraySpec spec;
  private final Variable variable;
  private final VariableShape shape;
  private final boolean hasStringDim;
  private final int fileStringLength;
  private final byte[] fileFill;
  private final byte[] storeFill;

  /**
   * @param spec the store array
   * @param variable the file's variable, already checked against {@code spec}
   * @param shape its shape
   */
  VariableReader(ArraySpec spec, Variable variable, VariableShape shape) {
    this.spec = spec;
    this.variable = variable;
    this.shape = shape;
    int rank = variable.dimensions().size();
    this.hasStringDim = rank > (shape.perProfile() ? 1 : 0) + shape.inner().size();
    this.fileStringLength = hasStringDim ? shape.stringLength() : 1;
    boolean bytes = spec.dataType() != DataType.STRING;
    this.storeFill = bytes && spec.fillValue() != null ? RecordReads.fillElement(spec) : null;
    this.fileFill =
        bytes && variable.dataType() == spec.dataType()
            ? fillElement(spec.dataType(), VariableMapping.fillValue(variable)).orElse(null)
            : null;
  }

  /** The file's fill as one element of {@code type} (numbers) or of the store's string length. */
  private Optional<byte[]> fillElement(DataType type, Optional<Object> fill) {
    return fill.map(
        f -> {
          if (f instanceof Number n) {
            return Cf.rawElement(type, n);
          }
          byte[] out = new byte[Math.max(1, spec.stringLength())];
          byte[] b = f.toString().getBytes(StandardCharsets.ISO_8859_1);
          System.arraycopy(b, 0, out, 0, Math.min(b.length, out.length));
          return out;
        });
  }

  /** The box {@code count} at {@code origin} (store coordinates without the record dim). */
  NdArray read(int position, long[] origin, int[] count) {
    int n = spec.stringLength();
    int rank = count.length;
    int[] clip = new int[rank];
    for (int i = 0; i < rank; i++) {
      long available = shape.innerLengths().get(i) - origin[i];
      clip[i] = (int) Math.max(0, Math.min(count[i], available));
      if (clip[i] == 0) {
        return RecordReads.filled(spec, count);
      }
    }
    int lead = shape.perProfile() ? 1 : 0;
    int fileRank = lead + rank + (hasStringDim ? 1 : 0);
    long[] o = new long[fileRank];
    int[] c = new int[fileRank];
    if (shape.perProfile()) {
      o[0] = position;
      c[0] = 1;
    }
    for (int i = 0; i < rank; i++) {
      o[lead + i] = origin[i];
      c[lead + i] = clip[i];
    }
    if (hasStringDim) {
      c[fileRank - 1] = shape.stringLength();
    }
    NdArray raw = variable.read(o, c);
    boolean text = spec.dataType() == DataType.CHAR;
    int fileLength = text && n > 0 ? fileStringLength : 0;
    NdArray data = reshape(raw, withLength(clip, fileLength));
    if (data.type() != spec.dataType()) {
      Optional<byte[]> fill = fillElement(data.type(), VariableMapping.fillValue(variable));
      data = RecordReads.convert(data, fill, spec);
    }
    if (text && n > 0 && fileLength != n) {
      // shorter strings end in NULs, as |S<n> values do
      NdArray padded = NdArray.allocate(DataType.CHAR, withLength(clip, n));
      NdArray.copy(
          data, new int[rank + 1], padded, new int[rank + 1], withLength(clip, fileLength));
      data = padded;
    }
    if (fileFill != null && storeFill != null && !Arrays.equals(fileFill, storeFill)) {
      replace(data, fileFill, storeFill);
    }
    if (Arrays.equals(clip, count)) {
      return data;
    }
    NdArray out = RecordReads.filled(spec, count);
    int[] box = withLength(clip, n);
    NdArray.copy(data, new int[box.length], out, new int[box.length], box);
    return out;
  }

  private static int[] withLength(int[] shape, int stringLength) {
    if (stringLength == 0) {
      return shape.clone();
    }
    int[] full = Arrays.copyOf(shape, shape.length + 1);
    full[shape.length] = stringLength;
    return full;
  }

  private static NdArray reshape(NdArray a, int[] shape) {
    if (Arrays.equals(a.shape(), shape)) {
      return a;
    }
    if (a.type() == DataType.STRING) {
      String[] values = new String[a.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = a.getString(i);
      }
      return NdArray.ofStrings(shape, values);
    }
    return NdArray.wrap(a.type(), shape, a.buffer());
  }

  private static void replace(NdArray data, byte[] from, byte[] to) {
    ByteBuffer b = data.buffer();
    int es = from.length;
    for (int i = 0; i + es <= b.limit(); i += es) {
      boolean match = true;
      for (int k = 0; k < es && match; k++) {
        match = b.get(i + k) == from[k];
      }
      if (match) {
        b.put(i, to);
      }
    }
  }
}
