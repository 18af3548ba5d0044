package io.zarrsync.netcdf.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.InvalidNetcdfFileException;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.NetcdfFormat;
import io.zarrsync.netcdf.Variable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HDF5 files not written by netCDF (h5py): read with phony dimensions like netCDF-C, plus the zstd
 * filter and user blocks, which ncgen cannot produce.
 */
class Hdf5PlainHdf5Test {
  @TempDir Path dir;

  static final String PLAIN =
      """
      import sys, h5py, numpy as np
      with h5py.File(sys.argv[1], 'w') as f:
          f['a'] = np.arange(9.).reshape(3, 3)
          f['b'] = np.arange(3, dtype='>i4')
          f['c'] = np.arange(4, dtype='i2')
          f.create_dataset('u', data=np.arange(5), maxshape=(None,), chunks=(2,))
          f.attrs['title'] = 'plain'
          f.attrs['strs'] = ['a', 'bb']
          f.attrs['fixed'] = np.bytes_('abc')
          g = f.create_group('g')
          g['d'] = np.arange(3.)
      """;

  @Test
  void plainHdf5GetsPhonyDimensionsLikeNetcdfC() {
    Path file = dir.resolve("plain.h5");
    Fixtures.h5py(PLAIN, file.toString());
    try (NetcdfFile f = NetcdfFiles.open(file)) {
      assertThat(f.format()).isEqualTo(NetcdfFormat.NETCDF4);
      // netCDF-C numbers phony dimensions after matching sub-groups first.
      assertThat(f.dimensions())
          .containsExactly(
              new Dimension("g/phony_dim_0", 3, false),
              new Dimension("phony_dim_1", 3, false),
              new Dimension("phony_dim_2", 3, false),
              new Dimension("phony_dim_3", 4, false),
              new Dimension("phony_dim_4", 5, true));
      Variable a = f.findVariable("a").orElseThrow();
      assertThat(a.dimensions().stream().map(Dimension::name))
          .containsExactly("phony_dim_1", "phony_dim_2");
      Variable b = f.findVariable("b").orElseThrow();
      assertThat(b.dimensions().stream().map(Dimension::name)).containsExactly("phony_dim_1");
      NdArray bv = b.read();
      assertThat(bv.type()).isEqualTo(DataType.INT);
      assertThat(bv.getLong(2)).isEqualTo(2);
      assertThat(f.globalAttributes())
          .containsExactly(
              new Attribute("title", DataType.STRING, List.of("plain")),
              new Attribute("strs", DataType.STRING, List.of("a", "bb")),
              Attribute.text("fixed", "abc"));
    }
    Hdf5PythonInteropTest.compareWithPython(List.of(file));
  }

  @Test
  void fixedLengthStringsReadWhole() {
    // netCDF-C 4.9 reads only the first element of such datasets (the second comes back empty).
    Path file = dir.resolve("fixed.h5");
    Fixtures.h5py(
        """
        import sys, h5py, numpy as np
        with h5py.File(sys.argv[1], 'w') as f:
            f['fixed'] = np.array([b'ab', b'cde', b''], dtype='S3')
        """,
        file.toString());
    try (NetcdfFile f = NetcdfFiles.open(file)) {
      NdArray fixed = f.findVariable("fixed").orElseThrow().read();
      assertThat(fixed.type()).isEqualTo(DataType.STRING);
      assertThat(new String[] {fixed.getString(0), fixed.getString(1), fixed.getString(2)})
          .containsExactly("ab", "cde", "");
    }
  }

  @Test
  void zstdCompressedChunksDecode() {
    Path file = dir.resolve("zstd.h5");
    Fixtures.h5py(
        """
        import sys, h5py, numpy as np
        from numcodecs import Zstd
        data = np.arange(20, dtype='<i4').reshape(5, 4)
        with h5py.File(sys.argv[1], 'w') as f:
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_chunk((2, 4))
            dcpl.set_filter(32015, h5py.h5z.FLAG_OPTIONAL, (3,))
            sid = h5py.h5s.create_simple((5, 4))
            ds = h5py.Dataset(h5py.h5d.create(f.id, b'z', h5py.h5t.STD_I32LE, sid, dcpl=dcpl))
            for r in range(0, 5, 2):
                chunk = np.zeros((2, 4), dtype='<i4')
                part = data[r:r + 2]
                chunk[:part.shape[0]] = part
                ds.id.write_direct_chunk((r, 0), Zstd(level=3).encode(chunk.tobytes()), 0)
        """,
        file.toString());
    try (NetcdfFile f = NetcdfFiles.open(file)) {
      NdArray z = f.findVariable("z").orElseThrow().read();
      assertThat(z.shape()).containsExactly(5, 4);
      for (int i = 0; i < 20; i++) {
        assertThat(z.getLong(i)).isEqualTo(i);
      }
    }
  }

  @Test
  void userBlockFileOpensThroughTheProviderButNotByMagic() {
    Path file = dir.resolve("userblock.h5");
    Fixtures.h5py(
        """
        import sys, h5py, numpy as np
        with h5py.File(sys.argv[1], 'w', userblock_size=512) as f:
            f['v'] = np.arange(6, dtype='<f4')
        """,
        file.toString());
    Hdf5ReaderProvider provider = new Hdf5ReaderProvider();
    try (NetcdfFile f = provider.open(file)) {
      assertThat(f.findVariable("v").orElseThrow().read().getDouble(5)).isEqualTo(5.0);
    }
    // Documented gap: NetcdfFiles only shows providers the first 8 bytes.
    assertThatThrownBy(() -> NetcdfFiles.open(file)).isInstanceOf(InvalidNetcdfFileException.class);
  }
}
