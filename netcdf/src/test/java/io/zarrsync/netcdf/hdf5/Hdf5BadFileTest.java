package io.zarrsync.netcdf.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.netcdf.InvalidNetcdfFileException;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.Variable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged, truncated and unsupported files fail with the file, the variable and the reason. */
class Hdf5BadFileTest {
  @TempDir Path dir;

  private final Hdf5ReaderProvider provider = new Hdf5ReaderProvider();

  private Path types() {
    return Fixtures.ncgen(dir, "types", "nc4", Fixtures.TYPES_CDL);
  }

  @Test
  void recognisesTheHdf5SignatureOnly() throws IOException {
    assertThat(provider.canOpen(Files.readAllBytes(types()))).isTrue();
    assertThat(provider.canOpen(new byte[] {'C', 'D', 'F', 1, 0, 0, 0, 0})).isFalse();
    assertThat(provider.canOpen(new byte[] {(byte) 0x89, 'H', 'D', 'F'})).isFalse();
  }

  @Test
  void truncatedFileIsRejectedAtOpen() throws IOException {
    Path file = types();
    long size = Files.size(file);
    for (long length : new long[] {size - 1, size / 2, 200, 40, 8}) {
      Path cut = Fixtures.truncated(file, dir.resolve("cut-" + length + ".nc"), length);
      assertThatThrownBy(() -> provider.open(cut))
          .as("cut to %d bytes", length)
          .isInstanceOf(InvalidNetcdfFileException.class)
          .hasMessageStartingWith(cut.toString() + ": ");
    }
    Path half = dir.resolve("cut-" + size / 2 + ".nc");
    assertThatThrownBy(() -> provider.open(half)).hasMessageContaining("truncated");
  }

  @Test
  void missingEmptyAndGarbageFilesAreRejected() throws IOException {
    assertThatThrownBy(() -> provider.open(dir.resolve("absent.nc")))
        .isInstanceOf(InvalidNetcdfFileException.class);
    Path empty = Files.write(dir.resolve("empty.nc"), new byte[0]);
    assertThatThrownBy(() -> provider.open(empty))
        .isInstanceOf(InvalidNetcdfFileException.class)
        .hasMessageContaining("HDF5");
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    System.arraycopy(
        new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}, 0, garbage, 0, 8);
    Path bad = Files.write(dir.resolve("garbage.nc"), garbage);
    assertThatThrownBy(() -> NetcdfFiles.open(bad))
        .isInstanceOf(InvalidNetcdfFileException.class)
        .hasMessageStartingWith(bad.toString());
  }

  /**
   * Flipped bytes anywhere must give a readable file or InvalidNetcdfFileException, nothing else.
   */
  @Test
  void corruptedBytesNeverLeakLibraryExceptions() throws IOException {
    byte[] good = Files.readAllBytes(types());
    Random random = new Random(42);
    int opened = 0;
    for (int round = 0; round < 300; round++) {
      byte[] bad = good.clone();
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips; i++) {
        int at = 8 + random.nextInt(bad.length - 8);
        bad[at] = (byte) random.nextInt(256);
      }
      Path file = Files.write(dir.resolve("corrupt.nc"), bad);
      try (NetcdfFile f = provider.open(file)) {
        opened++;
        for (Variable v : f.variables()) {
          try {
            v.read();
          } catch (InvalidSourceFileException expected) {
            assertThat(expected.getMessage()).startsWith(file.toString()).contains(v.name());
          }
        }
      } catch (InvalidNetcdfFileException expected) {
        assertThat(expected.source()).isEqualTo(file.toString());
      }
    }
    assertThat(opened).as("some corruptions hit only data").isPositive();
  }

  @Test
  void userDefinedTypesAreRejectedNamingTheVariable() {
    String[][] cases = {
      {"compound", "compound cmp { int a ; float b ; } ;", "cmp v(n) ;", "compound"},
      {"enum", "byte enum color { RED = 0, GREEN = 1 } ;", "color v(n) ;", "enum"},
      {"opaque", "opaque(4) blob ;", "blob v(n) ;", "opaque"},
      {"vlen", "int(*) ragged ;", "ragged v(n) ;", "vlen"},
    };
    for (String[] c : cases) {
      String cdl =
          "netcdf t {\ntypes:\n  "
              + c[1]
              + "\ndimensions:\n  n = 2 ;\nvariables:\n  int ok(n) ;\n  "
              + c[2]
              + "\n}\n";
      Path file = Fixtures.ncgen(dir, c[0], "nc4", cdl);
      assertThatThrownBy(() -> NetcdfFiles.open(file))
          .as(c[0])
          .isInstanceOf(InvalidNetcdfFileException.class)
          .hasMessageStartingWith(file.toString())
          .hasMessageContaining("variable 'v'")
          .hasMessageContaining(c[3]);
    }
  }

  @Test
  void userDefinedTypeAttributeIsRejectedNamingTheAttribute() {
    String cdl =
        """
        netcdf t {
        types:
          compound pair { int a ; int b ; } ;
        dimensions:
          n = 1 ;
        variables:
          int v(n) ;
            pair v:both = {1, 2} ;
        }
        """;
    Path file = Fixtures.ncgen(dir, "cattr", "nc4", cdl);
    assertThatThrownBy(() -> NetcdfFiles.open(file))
        .isInstanceOf(InvalidNetcdfFileException.class)
        .hasMessageContaining("attribute 'both'")
        .hasMessageContaining("variable 'v'")
        .hasMessageContaining("compound");
  }

  @Test
  void unknownFilterIsRejectedAtOpen() {
    Path file = dir.resolve("filter.h5");
    Fixtures.h5py(
        """
        import sys, h5py, numpy as np
        with h5py.File(sys.argv[1], 'w') as f:
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_chunk((4,))
            dcpl.set_filter(32099, h5py.h5z.FLAG_OPTIONAL, ())
            sid = h5py.h5s.create_simple((4,))
            ds = h5py.Dataset(h5py.h5d.create(f.id, b'odd', h5py.h5t.STD_I32LE, sid, dcpl=dcpl))
            ds.id.write_direct_chunk((0,), b'0123456789abcdef', 0)
        """,
        file.toString());
    assertThatThrownBy(() -> NetcdfFiles.open(file))
        .isInstanceOf(InvalidNetcdfFileException.class)
        .hasMessageContaining("variable 'odd'")
        .hasMessageContaining("filter")
        .hasMessageContaining("32099");
  }

  @Test
  void corruptChunksFailTheReadNamingTheVariable() {
    Path file = dir.resolve("chunks.h5");
    Fixtures.h5py(
        """
        import sys, struct, h5py, numpy as np
        with h5py.File(sys.argv[1], 'w') as f:
            f.create_dataset('zip', shape=(8,), dtype='<i4', chunks=(4,), compression='gzip')
            f['zip'].id.write_direct_chunk((0,), b'this is not deflate data', 0)
            f.create_dataset('sum', shape=(4,), dtype='<i4', chunks=(4,), fletcher32=True)
            f['sum'].id.write_direct_chunk((0,), np.arange(4, dtype='<i4').tobytes() + b'\\0\\0\\0\\0', 0)
        """,
        file.toString());
    try (NetcdfFile f = NetcdfFiles.open(file)) {
      Variable zip = f.findVariable("zip").orElseThrow();
      assertThatThrownBy(zip::read)
          .isInstanceOf(InvalidNetcdfFileException.class)
          .hasMessageStartingWith(file.toString())
          .hasMessageContaining("variable 'zip'")
          .hasMessageContaining("deflate");
      // The second chunk was never written: it reads as fill without touching the bad one.
      assertThat(zip.read(new long[] {4}, new int[] {4}).getLong(0)).isZero();
      assertThatThrownBy(() -> f.findVariable("sum").orElseThrow().read())
          .isInstanceOf(InvalidNetcdfFileException.class)
          .hasMessageContaining("variable 'sum'")
          .hasMessageContaining("Fletcher-32");
    }
  }
}
