package io.zarrsync.netcdf.hdf5;

import io.jhdf.Utils;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.InvalidNetcdfFileException;
import io.zarrsync.netcdf.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A variable backed by one HDF5 dataset. Its shape is its dimensions' lengths; along an unlimited
 * dimension the dataset may be shorter (records never written to this variable), and those elements
 * read as the fill value, as in netCDF-C. Reads may run from several threads at once.
 */
final class Hdf5Variable implements Variable {
  private final String fileName;
  private final String name;
  private final DataType type;
  private final List<Dimension> dimensions;
  private final long[] shape;
  private final List<Attribute> attributes;
  private final Dataset dataset;
  private final long[] extent;
  private final RawStorage storage;
  private final boolean bigEndian;
  private final byte[] fill;
  private final AtomicBoolean closed;

  Hdf5Variable(
      String fileName,
      String name,
      DataType type,
      List<Dimension> dimensions,
      long[] shape,
      List<Attribute> attributes,
      Dataset dataset,
      long[] extent,
      RawStorage storage,
      byte[] fill,
      io.jhdf.object.datatype.DataType fileType,
      AtomicBoolean closed) {
    this.fileName = fileName;
    this.name = name;
    this.type = type;
    this.dimensions = List.copyOf(dimensions);
    this.shape = shape.clone();
    this.attributes = List.copyOf(attributes);
    this.dataset = dataset;
    this.extent = extent.clone();
    this.storage = storage;
    this.fill = fill.clone();
    this.bigEndian = Hdf5Types.isBigEndian(fileType);
    this.closed = closed;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DataType dataType() {
    return type;
  }

  @Override
  public List<Dimension> dimensions() {
    return dimensions;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public List<Attribute> attributes() {
    return attributes;
  }

  @Override
  public Optional<int[]> storageChunks() {
    if (dataset instanceof ChunkedDataset c) {
      return Optional.of(c.getChunkDimensions().clone());
    }
    return Optional.empty();
  }

  @Override
  public NdArray read(long[] origin, int[] count) {
    checkBox(origin, count);
    if (closed.get()) {
      throw new IllegalStateException(fileName + " is closed");
    }
    try {
      return type == DataType.STRING ? readStrings(origin, count) : readFixed(origin, count);
    } catch (Hdf5ContentException e) {
      throw new InvalidNetcdfFileException(
          fileName, "variable '" + name + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new InvalidNetcdfFileException(
          fileName,
          "variable '"
              + name
              + "': cannot read "
              + Arrays.toString(count)
              + " at "
              + Arrays.toString(origin)
              + ": "
              + Hdf5File.describe(e),
          e);
    } catch (InternalError e) {
      // A memory-mapped read past the end of a file truncated after it was opened.
      throw new InvalidNetcdfFileException(
          fileName, "variable '" + name + "': file changed while reading (" + e + ")", e);
    }
  }

  private NdArray readFixed(long[] origin, int[] count) {
    int es = type.size();
    int n = (int) Boxes.product(count);
    byte[] out = new byte[n * es];
    int[] stored = storedPart(origin, count);
    if (n > 0) {
      if (Arrays.equals(stored, count)) {
        storage.read(origin, count, out);
      } else {
        Boxes.fillPattern(out, 0, out.length, fill);
        if (Boxes.product(stored) > 0) {
          byte[] part = new byte[(int) Boxes.product(stored) * es];
          storage.read(origin, stored, part);
          copy(
              stored,
              count,
              (src, dst, len) -> System.arraycopy(part, (int) src * es, out, dst * es, len * es));
        }
      }
      if (bigEndian) {
        Hdf5Types.swapInPlace(out, 0, out.length, es);
      }
    }
    return NdArray.wrap(type, count, out);
  }

  private NdArray readStrings(long[] origin, int[] count) {
    String[] values = new String[(int) Boxes.product(count)];
    Arrays.fill(values, "");
    int[] stored = storedPart(origin, count);
    if (values.length > 0 && Boxes.product(stored) > 0 && !dataset.isEmpty()) {
      Object data = extent.length == 0 ? dataset.getData() : dataset.getData(origin, stored);
      Object[] flat = data instanceof String s ? new Object[] {s} : Utils.flatten(data);
      copy(
          stored,
          count,
          (src, dst, len) -> {
            for (int i = 0; i < len; i++) {
              Object o = flat[(int) src + i];
              values[dst + i] = o == null ? "" : o.toString();
            }
          });
    }
    return NdArray.ofStrings(count, values);
  }

  /** The part of the box the dataset holds: it may end early along unlimited dimensions. */
  private int[] storedPart(long[] origin, int[] count) {
    int[] stored = new int[count.length];
    for (int d = 0; d < count.length; d++) {
      stored[d] = (int) Math.max(0, Math.min(origin[d] + count[d], extent[d]) - origin[d]);
    }
    return stored;
  }

  private static void copy(int[] part, int[] count, Boxes.RunConsumer consumer) {
    long[] partShape = new long[part.length];
    for (int d = 0; d < part.length; d++) {
      partShape[d] = part[d];
    }
    Boxes.forEachRun(partShape, new long[part.length], count, new int[part.length], part, consumer);
  }

  private void checkBox(long[] origin, int[] count) {
    if (origin.length != shape.length || count.length != shape.length) {
      throw new IndexOutOfBoundsException(
          "variable '"
              + name
              + "' has rank "
              + shape.length
              + ", got origin "
              + Arrays.toString(origin)
              + " and count "
              + Arrays.toString(count));
    }
    long n = 1;
    for (int d = 0; d < shape.length; d++) {
      if (origin[d] < 0 || count[d] < 0 || origin[d] + count[d] > shape[d]) {
        throw new IndexOutOfBoundsException(
            "box "
                + Arrays.toString(count)
                + " at "
                + Arrays.toString(origin)
                + " is outside variable '"
                + name
                + "' of shape "
                + Arrays.toString(shape));
      }
      n *= count[d];
    }
    long bytes = type == DataType.STRING ? n : n * type.size();
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "box "
              + Arrays.toString(count)
              + " of variable '"
              + name
              + "' is too large for one read");
    }
  }

  @Override
  public String toString() {
    return "Hdf5Variable[" + name + " " + type + Arrays.toString(shape) + "]";
  }
}
