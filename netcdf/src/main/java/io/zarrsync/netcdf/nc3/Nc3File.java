package io.zarrsync.netcdf.nc3;

import io.zarrsync.api.DataType;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.InvalidNetcdfFileException;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFormat;
import io.zarrsync.netcdf.Variable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An open classic-format file. The header is parsed once at open and checked against the file size;
 * data is read on demand with positional reads, so reads from several threads are safe.
 */
final class Nc3File implements NetcdfFile {
  private final Path path;
  private final FileChannel channel;
  private final NetcdfFormat format;
  private final List<Dimension> dimensions;
  private final List<Attribute> globalAttributes;
  private final List<Variable> variables;
  private volatile boolean closed;

  private Nc3File(Path path, FileChannel channel, Nc3Header header, long fileSize) {
    this.path = path;
    this.channel = channel;
    this.format = header.format();
    this.globalAttributes = header.globalAttributes();
    String file = path.toString();

    // Sizes of the record variables fix the record stride and so the record count of a stream.
    long recordSize = 0;
    long firstRecordBegin = Long.MAX_VALUE;
    long lastRecordSlab = 0;
    int recordVars = 0;
    for (Nc3Header.VarEntry v : header.vars()) {
      if (isRecord(v, header)) {
        long slab = slabBytes(v, header);
        recordSize = Math.addExact(recordSize, Nc3Layout.roundUp4(slab));
        firstRecordBegin = Math.min(firstRecordBegin, v.begin());
        lastRecordSlab = slab;
        recordVars++;
      }
    }
    if (recordVars == 1) {
      // The classic format does not pad the records of a file with a single record variable.
      recordSize = lastRecordSlab;
    }
    long numrecs = header.numrecs();
    if (header.streaming()) {
      numrecs =
          recordSize == 0 || firstRecordBegin >= fileSize
              ? 0
              : (fileSize - firstRecordBegin) / recordSize;
    }

    List<Dimension> dims = new ArrayList<>();
    for (Nc3Header.DimEntry d : header.dims()) {
      dims.add(
          d.length() == 0
              ? new Dimension(d.name(), numrecs, true)
              : new Dimension(d.name(), d.length(), false));
    }
    this.dimensions = List.copyOf(dims);

    List<Variable> vars = new ArrayList<>();
    for (Nc3Header.VarEntry v : header.vars()) {
      List<Dimension> vdims = new ArrayList<>();
      for (int i = 0; i < v.dimIds().size(); i++) {
        Dimension d = dims.get(v.dimIds().get(i));
        if (d.unlimited() && i > 0) {
          throw new InvalidNetcdfFileException(
              file,
              "variable "
                  + v.name()
                  + " uses the unlimited dimension "
                  + d.name()
                  + " at position "
                  + i
                  + "; NetCDF-3 allows it only first");
        }
        vdims.add(d);
      }
      DataType type = Nc3Header.modelType(v.type(), v.attributes());
      Nc3Variable var =
          new Nc3Variable(this, v.name(), type, vdims, v.attributes(), v.begin(), recordSize);
      checkExtent(
          file, var, slabBytes(v, header), numrecs, recordSize, header.headerEnd(), fileSize);
      vars.add(var);
    }
    this.variables = List.copyOf(vars);
  }

  /** Opens and validates {@code path}; the caller owns the returned file. */
  static Nc3File open(Path path) {
    String file = path.toString();
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new InvalidNetcdfFileException(file, "no such file", e);
    } catch (IOException e) {
      throw new InvalidNetcdfFileException(file, "cannot open: " + e.getMessage(), e);
    }
    try {
      long size = channel.size();
      if (size == 0) {
        throw new InvalidNetcdfFileException(file, "file is empty");
      }
      Nc3Header header = Nc3Header.parse(new HeaderReader(channel, file, size), file);
      return new Nc3File(path, channel, header, size);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new InvalidNetcdfFileException(file, "cannot read: " + e.getMessage(), e);
    } catch (ArithmeticException e) {
      closeQuietly(channel);
      throw new InvalidNetcdfFileException(
          file, "absurd header: sizes overflow 64 bits (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static boolean isRecord(Nc3Header.VarEntry v, Nc3Header h) {
    return !v.dimIds().isEmpty() && h.dims().get(v.dimIds().get(0)).length() == 0;
  }

  /** Bytes of one record (record variables) or of the whole variable, without padding. */
  private static long slabBytes(Nc3Header.VarEntry v, Nc3Header h) {
    long n = v.type().size();
    for (int id : v.dimIds()) {
      long len = h.dims().get(id).length();
      if (len != 0) {
        n = Math.multiplyExact(n, len);
      }
    }
    return n;
  }

  /** Rejects a file whose header places data before its end or past the end of the file. */
  private static void checkExtent(
      String file,
      Nc3Variable var,
      long slab,
      long numrecs,
      long recordSize,
      long headerEnd,
      long fileSize) {
    long records = var.isRecord() ? numrecs : 1;
    if (records == 0 || slab == 0) {
      return;
    }
    if (var.begin() < headerEnd) {
      throw new InvalidNetcdfFileException(
          file,
          "variable "
              + var.name()
              + " begins at offset "
              + var.begin()
              + ", inside the header (which ends at "
              + headerEnd
              + ")");
    }
    long end =
        Math.addExact(
            var.begin(), Math.addExact(Math.multiplyExact(records - 1, recordSize), slab));
    if (end > fileSize) {
      throw new InvalidNetcdfFileException(
          file,
          "truncated: variable "
              + var.name()
              + " needs bytes up to "
              + end
              + " but the file has "
              + fileSize);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to recover: the open already failed with a better reason.
    }
  }

  FileChannel channel() {
    return channel;
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException(path + ": the file is closed");
    }
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public NetcdfFormat format() {
    return format;
  }

  @Override
  public List<Dimension> dimensions() {
    return dimensions;
  }

  @Override
  public List<Variable> variables() {
    return variables;
  }

  @Override
  public List<Attribute> globalAttributes() {
    return globalAttributes;
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // A read-only channel has nothing to flush; a failed close loses nothing.
    }
  }

  @Override
  public String toString() {
    return "Nc3File[" + path + ", " + format + "]";
  }
}
