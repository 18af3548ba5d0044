package io.zarrsync.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array of one {@link DataType}, in C (row-major) order.
 *
 * <p>Fixed-size types live in a little-endian {@link ByteBuffer}, so a Zarr chunk of dtype {@code
 * <i2} is the buffer's bytes as they are. {@link DataType#STRING} arrays hold Java strings. A
 * rank-0 array (shape {@code []}) has one element.
 *
 * <p>Instances are mutable (the engine assembles chunks in place) and not thread-safe.
 */
public final class NdArray {
  private final DataType type;
  private final int[] shape;
  private final int size;
  private final ByteBuffer data;
  private final String[] strings;

  private NdArray(DataType type, int[] shape, ByteBuffer data, String[] strings) {
    this.type = Objects.requireNonNull(type, "type");
    this.shape = shape.clone();
    this.size = checkedSize(shape);
    this.data = data;
    this.strings = strings;
  }

  /** A zero-filled array (empty strings for {@link DataType#STRING}). */
  public static NdArray allocate(DataType type, int... shape) {
    int n = checkedSize(shape);
    if (type == DataType.STRING) {
      String[] s = new String[n];
      Arrays.fill(s, "");
      return new NdArray(type, shape, null, s);
    }
    return new NdArray(
        type,
        shape,
        ByteBuffer.allocate(Math.multiplyExact(n, type.size())).order(ByteOrder.LITTLE_ENDIAN),
        null);
  }

  /**
   * Wraps little-endian bytes (position 0 to limit) without copying.
   *
   * @throws IllegalArgumentException if the byte count does not match the shape
   */
  public static NdArray wrap(DataType type, int[] shape, ByteBuffer littleEndian) {
    if (type == DataType.STRING) {
      throw new IllegalArgumentException("use ofStrings for STRING arrays");
    }
    int n = checkedSize(shape);
    ByteBuffer b = littleEndian.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() != (long) n * type.size()) {
      throw new IllegalArgumentException(
          "expected "
              + (long) n * type.size()
              + " bytes for "
              + type
              + Arrays.toString(shape)
              + ", got "
              + b.remaining());
    }
    return new NdArray(type, shape, b, null);
  }

  /** Wraps little-endian bytes without copying. */
  public static NdArray wrap(DataType type, int[] shape, byte[] littleEndian) {
    return wrap(type, shape, ByteBuffer.wrap(littleEndian));
  }

  /** A {@link DataType#STRING} array; {@code values} is used without copying. */
  public static NdArray ofStrings(int[] shape, String[] values) {
    if (values.length != checkedSize(shape)) {
      throw new IllegalArgumentException(
          "expected " + checkedSize(shape) + " strings, got " + values.length);
    }
    return new NdArray(DataType.STRING, shape, null, values);
  }

  private static int checkedSize(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative extent in " + Arrays.toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("array too large: " + Arrays.toString(shape));
      }
    }
    return (int) n;
  }

  public DataType type() {
    return type;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** Number of elements. */
  public int size() {
    return size;
  }

  /**
   * The data, little-endian, position 0, sharing content with this array. Not available for {@link
   * DataType#STRING}.
   */
  public ByteBuffer buffer() {
    if (data == null) {
      throw new UnsupportedOperationException("STRING arrays have no byte buffer");
    }
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0);
  }

  /** The data as a new byte array (little-endian). */
  public byte[] toByteArray() {
    ByteBuffer b = buffer();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** The element at flat index {@code i} as a double (unsigned types are widened). */
  public double getDouble(int i) {
    return switch (type) {
      case FLOAT -> data.getFloat(i * 4);
      case DOUBLE -> data.getDouble(i * 8);
      case ULONG -> {
        long v = data.getLong(i * 8);
        yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
      }
      case STRING -> Double.parseDouble(strings[i]);
      default -> getLong(i);
    };
  }

  /**
   * The element at flat index {@code i} as a long. Unsigned types are widened ({@link
   * DataType#ULONG} returns the raw bits); floating types are truncated.
   */
  public long getLong(int i) {
    return switch (type) {
      case BYTE, CHAR -> data.get(i);
      case UBYTE -> data.get(i) & 0xFF;
      case SHORT -> data.getShort(i * 2);
      case USHORT -> data.getShort(i * 2) & 0xFFFF;
      case INT -> data.getInt(i * 4);
      case UINT -> data.getInt(i * 4) & 0xFFFFFFFFL;
      case LONG, ULONG -> data.getLong(i * 8);
      case FLOAT -> (long) data.getFloat(i * 4);
      case DOUBLE -> (long) data.getDouble(i * 8);
      case STRING -> Long.parseLong(strings[i]);
    };
  }

  /** Sets the element at flat index {@code i}, narrowing to the type's width. */
  public void setDouble(int i, double v) {
    switch (type) {
      case FLOAT -> data.putFloat(i * 4, (float) v);
      case DOUBLE -> data.putDouble(i * 8, v);
      case STRING -> strings[i] = Double.toString(v);
      default -> setLong(i, (long) v);
    }
  }

  /** Sets the element at flat index {@code i}, narrowing to the type's width. */
  public void setLong(int i, long v) {
    switch (type) {
      case BYTE, UBYTE, CHAR -> data.put(i, (byte) v);
      case SHORT, USHORT -> data.putShort(i * 2, (short) v);
      case INT, UINT -> data.putInt(i * 4, (int) v);
      case LONG, ULONG -> data.putLong(i * 8, v);
      case FLOAT -> data.putFloat(i * 4, (float) v);
      case DOUBLE -> data.putDouble(i * 8, (double) v);
      case STRING -> strings[i] = Long.toString(v);
    }
  }

  /** The string at flat index {@code i} of a {@link DataType#STRING} array. */
  public String getString(int i) {
    if (strings == null) {
      throw new UnsupportedOperationException("not a STRING array: " + type);
    }
    return strings[i];
  }

  public void setString(int i, String v) {
    if (strings == null) {
      throw new UnsupportedOperationException("not a STRING array: " + type);
    }
    strings[i] = Objects.requireNonNull(v);
  }

  /**
   * Fills every element with the raw little-endian element {@code element} (of {@link
   * DataType#size()} bytes), e.g. a fill value's bytes.
   */
  public void fillRaw(byte[] element) {
    if (element.length != type.size()) {
      throw new IllegalArgumentException("element must have " + type.size() + " bytes");
    }
    int es = element.length;
    int total = size * es;
    if (total == 0) {
      return;
    }
    byte[] arr;
    int off;
    if (data.hasArray()) {
      arr = data.array();
      off = data.arrayOffset();
    } else {
      for (int i = 0; i < total; i++) {
        data.put(i, element[i % es]);
      }
      return;
    }
    System.arraycopy(element, 0, arr, off, es);
    int filled = es;
    while (filled < total) {
      int n = Math.min(filled, total - filled);
      System.arraycopy(arr, off, arr, off + filled, n);
      filled += n;
    }
  }

  /** Fills a STRING array with {@code value}. */
  public void fillString(String value) {
    Arrays.fill(strings, value);
  }

  /**
   * True if the data is {@code element} repeated: every element's bytes equal it, or, for a
   * fixed-length string array whose last dimension is the string length, every string's bytes (used
   * to detect all-fill chunks).
   *
   * @throws IllegalArgumentException if the data is not a whole number of {@code element}s
   * @throws UnsupportedOperationException for {@link DataType#STRING} arrays
   */
  public boolean allRawEqual(byte[] element) {
    if (data == null) {
      throw new UnsupportedOperationException("STRING arrays have no raw bytes");
    }
    int es = element.length;
    int total = size * type.size();
    if (es == 0 || total % es != 0) {
      throw new IllegalArgumentException(
          total + " bytes are not a whole number of " + es + "-byte elements");
    }
    for (int i = 0; i < total; i++) {
      if (data.get(i) != element[i % es]) {
        return false;
      }
    }
    return true;
  }

  /** True if every string equals {@code value}. */
  public boolean allStringsEqual(String value) {
    for (String s : strings) {
      if (!s.equals(value)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies the box {@code count} starting at {@code srcOrigin} in {@code src} into {@code dst} at
   * {@code dstOrigin}. Both arrays must have the same type and rank. Runs of the innermost
   * dimension are copied in bulk.
   */
  public static void copy(NdArray src, int[] srcOrigin, NdArray dst, int[] dstOrigin, int[] count) {
    if (src.type != dst.type) {
      throw new IllegalArgumentException("type mismatch: " + src.type + " vs " + dst.type);
    }
    int rank = src.rank();
    if (dst.rank() != rank
        || srcOrigin.length != rank
        || dstOrigin.length != rank
        || count.length != rank) {
      throw new IllegalArgumentException("rank mismatch");
    }
    for (int d = 0; d < rank; d++) {
      if (count[d] == 0) {
        return;
      }
      if (srcOrigin[d] < 0
          || dstOrigin[d] < 0
          || srcOrigin[d] + count[d] > src.shape[d]
          || dstOrigin[d] + count[d] > dst.shape[d]) {
        throw new IndexOutOfBoundsException(
            "box "
                + Arrays.toString(count)
                + " at src "
                + Arrays.toString(srcOrigin)
                + " of "
                + Arrays.toString(src.shape)
                + " / dst "
                + Arrays.toString(dstOrigin)
                + " of "
                + Arrays.toString(dst.shape));
      }
    }
    if (rank == 0) {
      if (src.strings != null) {
        dst.strings[0] = src.strings[0];
      } else {
        for (int b = 0; b < src.type.size(); b++) {
          dst.data.put(b, src.data.get(b));
        }
      }
      return;
    }
    int[] srcStride = strides(src.shape);
    int[] dstStride = strides(dst.shape);
    int inner = count[rank - 1];
    int es = src.strings != null ? 1 : src.type.size();
    int[] idx = new int[rank - 1];
    ByteBuffer sb = src.data == null ? null : src.data.duplicate();
    ByteBuffer db = dst.data == null ? null : dst.data.duplicate();
    while (true) {
      int so = srcOrigin[rank - 1];
      int dof = dstOrigin[rank - 1];
      for (int d = 0; d < rank - 1; d++) {
        so += (srcOrigin[d] + idx[d]) * srcStride[d];
        dof += (dstOrigin[d] + idx[d]) * dstStride[d];
      }
      if (src.strings != null) {
        System.arraycopy(src.strings, so, dst.strings, dof, inner);
      } else {
        db.put(dof * es, sb, so * es, inner * es);
      }
      int d = rank - 2;
      while (d >= 0) {
        if (++idx[d] < count[d]) {
          break;
        }
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }

  /** A new array holding the box {@code count} at {@code origin}. */
  public NdArray section(int[] origin, int[] count) {
    NdArray out = allocate(type, count);
    copy(this, origin, out, new int[rank()], count);
    return out;
  }

  /** Row-major strides in elements. */
  public static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      s[d] = acc;
      acc *= shape[d];
    }
    return s;
  }

  /** Same type, shape and element bytes (or strings). */
  public boolean contentEquals(NdArray other) {
    if (other == null || type != other.type || !Arrays.equals(shape, other.shape)) {
      return false;
    }
    if (strings != null) {
      return Arrays.equals(strings, other.strings);
    }
    return buffer().equals(other.buffer());
  }

  @Override
  public String toString() {
    return "NdArray[" + type + Arrays.toString(shape) + "]";
  }
}
