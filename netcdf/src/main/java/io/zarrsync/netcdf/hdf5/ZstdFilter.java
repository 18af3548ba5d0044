package io.zarrsync.netcdf.hdf5;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.filter.Filter;
import io.jhdf.filter.FilterManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The zstd HDF5 filter (registered id 32015, what netCDF-C 4.9 writes for {@code
 * _Filter="32015,level"} or {@code nc_def_var_zstandard}), which jhdf does not ship.
 */
final class ZstdFilter implements Filter {
  static final int ID = 32015;

  private ZstdFilter() {}

  /** Registers the filter with jhdf once; jhdf's registry is a plain static map. */
  static void register() {
    Holder.touch();
  }

  private static final class Holder {
    static {
      FilterManager.addFilter(new ZstdFilter());
    }

    static void touch() {}
  }

  @Override
  public int getId() {
    return ID;
  }

  @Override
  public String getName() {
    return "zstd";
  }

  @Override
  public byte[] decode(byte[] encoded, int[] filterData) {
    long size = Zstd.getFrameContentSize(encoded);
    try {
      if (size >= 0 && size <= Integer.MAX_VALUE - 16) {
        return Zstd.decompress(encoded, (int) size);
      }
      // Frames written by streaming compressors may not record their size.
      try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(encoded))) {
        return in.readAllBytes();
      }
    } catch (IOException | RuntimeException e) {
      throw new HdfFilterException("zstd decoding failed: " + e.getMessage(), e);
    }
  }
}
