package io.zarrsync.netcdf.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.exceptions.HdfException;
import io.zarrsync.api.StoreException;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.InvalidNetcdfFileException;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFormat;
import io.zarrsync.netcdf.ReadOptions;
import io.zarrsync.netcdf.Variable;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open NetCDF-4 (HDF5) file over jhdf. The whole header is read at open; variables read their
 * data on demand and may be read from several threads at once.
 */
final class Hdf5File implements NetcdfFile {
  /** Decoded chunks kept per open file for reads that do not line up with the chunks. */
  static final long CHUNK_CACHE_BYTES = 64L << 20;

  /** Decoding buffers kept per open file. */
  static final long SCRATCH_BYTES = 64L << 20;

  private final Path path;
  private final HdfFile hdf;
  private final NetcdfFormat format;
  private final List<Dimension> dimensions;
  private final List<Variable> variables;
  private final List<Attribute> globalAttributes;
  private final ChunkCache cache;
  private final ScratchPool pool;
  private final AtomicBoolean closed;

  private Hdf5File(
      Path path,
      HdfFile hdf,
      SchemaReader.Schema schema,
      ChunkCache cache,
      ScratchPool pool,
      AtomicBoolean closed) {
    this.path = path;
    this.hdf = hdf;
    this.format = schema.format();
    this.dimensions = List.copyOf(schema.dimensions());
    this.variables = List.copyOf(schema.variables());
    this.globalAttributes = List.copyOf(schema.globalAttributes());
    this.cache = cache;
    this.pool = pool;
    this.closed = closed;
  }

  /**
   * Opens and reads the header of {@code path}.
   *
   * @throws InvalidNetcdfFileException if it is not HDF5, is truncated or damaged, or holds types,
   *     filters or layouts the reader does not support
   */
  static Hdf5File open(Path path, ReadOptions options) {
    ZstdFilter.register();
    String file = path.toString();
    HdfFile hdf;
    try {
      hdf = new HdfFile(path);
    } catch (HdfException e) {
      throw new InvalidNetcdfFileException(file, "not a readable HDF5 file: " + describe(e), e);
    } catch (RuntimeException | InternalError e) {
      throw new InvalidNetcdfFileException(file, "damaged HDF5 file: " + describe(e), e);
    }
    try {
      checkLength(hdf, file);
      ScratchPool pool = new ScratchPool(SCRATCH_BYTES);
      ChunkCache cache = new ChunkCache(CHUNK_CACHE_BYTES, pool);
      AtomicBoolean closed = new AtomicBoolean();
      SchemaReader.Schema schema =
          new SchemaReader(hdf, file, cache, pool, options.parallelDecode(), closed).read();
      return new Hdf5File(path, hdf, schema, cache, pool, closed);
    } catch (InvalidNetcdfFileException e) {
      hdf.close();
      throw e;
    } catch (Hdf5ContentException e) {
      hdf.close();
      throw new InvalidNetcdfFileException(
          file, e.getMessage(), e.getCause() != null ? e.getCause() : e);
    } catch (RuntimeException | InternalError e) {
      hdf.close();
      throw new InvalidNetcdfFileException(file, "damaged HDF5 file: " + describe(e), e);
    }
  }

  /** The superblock records where the file ends; HDF5 itself refuses shorter files. */
  private static void checkLength(HdfFile hdf, String file) {
    // The stored end of file counts the user block too (H5F__super_read compares it that way).
    long eof = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
    long size = hdf.size();
    if (eof > 0 && eof > size) {
      throw new InvalidNetcdfFileException(
          file, "truncated HDF5 file: " + size + " bytes, its superblock says " + eof);
    }
  }

  /** An exception and its causes as one line, for reasons. */
  static String describe(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
      if (b.length() > 0) {
        b.append(" <- ");
      }
      b.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
      if (t.getCause() == t) {
        break;
      }
    }
    return b.toString();
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
    if (closed.compareAndSet(false, true)) {
      cache.clear();
      pool.clear();
      try {
        hdf.close();
      } catch (HdfException e) {
        throw new StoreException("cannot close " + path + ": " + describe(e), e);
      }
    }
  }

  @Override
  public String toString() {
    return "Hdf5File[" + path + ", " + format + "]";
  }
}
