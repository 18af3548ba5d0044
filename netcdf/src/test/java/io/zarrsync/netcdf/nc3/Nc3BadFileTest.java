package io.zarrsync.netcdf.nc3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.netcdf.InvalidNetcdfFileException;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.netcdf.testing.Ncgen;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Nc3BadFileTest {
  @TempDir Path dir;

  private final Nc3ReaderProvider provider = new Nc3ReaderProvider();

  @Test
  void emptyFile() throws IOException {
    Path p = write("empty.nc", new byte[0]);
    assertInvalid(() -> NetcdfFiles.open(p), p, "file is empty");
    assertInvalid(() -> provider.open(p), p, "file is empty");
  }

  @Test
  void threeBytes() throws IOException {
    Path p = write("short.nc", "CDF".getBytes(StandardCharsets.US_ASCII));
    assertInvalid(() -> NetcdfFiles.open(p), p, "too short");
    assertInvalid(() -> provider.open(p), p, "truncated: the header needs bytes up to 4");
  }

  @Test
  void missingFile() {
    Path p = dir.resolve("nope.nc");
    assertInvalid(() -> provider.open(p), p, "no such file");
  }

  @Test
  void randomBytesAreNotNetcdf() throws IOException {
    byte[] junk = new byte[4096];
    new Random(42).nextBytes(junk);
    junk[0] = 'x';
    Path p = write("random.nc", junk);
    assertThat(provider.canOpen(Arrays.copyOf(junk, 8))).isFalse();
    assertInvalid(() -> NetcdfFiles.open(p), p, "not a NetCDF file");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void randomBytesAfterAValidMagicAreRejectedCleanly(int version) throws IOException {
    Random random = new Random(version);
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[random.nextInt(600)];
      random.nextBytes(junk);
      byte[] file = new byte[junk.length + 4];
      System.arraycopy(junk, 0, file, 4, junk.length);
      file[0] = 'C';
      file[1] = 'D';
      file[2] = 'F';
      file[3] = (byte) version;
      Path p = write("random-" + version + ".nc", file);
      openAndReadEverything(p);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 4, 6, 0x7F, 0xFF})
  void unsupportedVersionByte(int version) throws IOException {
    Path p = write("version.nc", new byte[] {'C', 'D', 'F', (byte) version, 0, 0, 0, 0});
    assertInvalid(() -> NetcdfFiles.open(p), p, "unsupported NetCDF-3 version byte " + version);
  }

  @Test
  void aRealFileCutShortAnywhereIsReportedAsTruncated() throws IOException {
    Path good = Ncgen.generate(dir, "types", "classic", Nc3ReaderTest.CLASSIC_TYPES);
    byte[] bytes = Files.readAllBytes(good);
    long dataStart;
    try (NetcdfFile f = NetcdfFiles.open(good)) {
      dataStart = ((Nc3Variable) f.variables().get(0)).begin();
    }
    long[] cuts = {4, 7, 12, 33, dataStart / 2, dataStart - 1, dataStart, dataStart + 5};
    for (long cut : cuts) {
      Path p = write("cut-" + cut + ".nc", Arrays.copyOf(bytes, (int) cut));
      assertInvalid(() -> NetcdfFiles.open(p), p, "truncated");
    }
    // In the data: the message names the variable and both sizes.
    Path p = write("cut-data.nc", Arrays.copyOf(bytes, (int) dataStart + 2));
    assertInvalid(
        () -> NetcdfFiles.open(p),
        p,
        "truncated: variable vb needs bytes up to "
            + (dataStart + 3)
            + " but the file has "
            + (dataStart + 2));
  }

  @Test
  void aSingleRecordVariableFileMissingItsLastByteIsTruncated() throws IOException {
    Path good = Ncgen.generate(dir, "one", "classic", Nc3ReaderTest.ONE_RECORD_VARIABLE);
    byte[] bytes = Files.readAllBytes(good);
    Path p = write("cut.nc", Arrays.copyOf(bytes, bytes.length - 1));
    assertInvalid(
        () -> NetcdfFiles.open(p),
        p,
        "truncated: variable s needs bytes up to "
            + bytes.length
            + " but the file has "
            + (bytes.length - 1));
  }

  @Test
  void aFileThatShrinksAfterOpenFailsOnRead() throws IOException {
    Path p = Ncgen.generate(dir, "one", "classic", Nc3ReaderTest.ONE_RECORD_VARIABLE);
    long size = Files.size(p);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
        ch.truncate(size - 4);
      }
      Variable s = f.findVariable("s").orElseThrow();
      assertInvalid(s::read, p, "truncated: variable s needs bytes up to " + size);
    }
  }

  @Test
  void absurdDimensionCount() throws IOException {
    Header h = new Header(1).numrecs(0).tag(0x0A).i32(0x7FFFFFFF);
    Path p = write("dims.nc", h.bytes());
    assertInvalid(
        () -> NetcdfFiles.open(p), p, "truncated or absurd header: 2147483647 dimensions");
  }

  @Test
  void absurdAttributeLength() throws IOException {
    Header h = new Header(1).numrecs(0).absent().tag(0x0C).i32(1).name("a").i32(4).i32(0x7FFFFFF0);
    Path p = write("att.nc", h.bytes());
    assertInvalid(() -> NetcdfFiles.open(p), p, "truncated: the header needs bytes up to");
  }

  @Test
  void absurdVariableSizeInCdf5() throws IOException {
    // Two dimensions of 2^40: the variable would need 2^82 bytes.
    Header h =
        new Header(5)
            .i64(0)
            .tag(0x0A)
            .i64(2)
            .name("x")
            .i64(1L << 40)
            .name("y")
            .i64(1L << 40)
            .absent()
            .tag(0x0B)
            .i64(1)
            .name("v")
            .i64(2)
            .i64(0)
            .i64(1)
            .absent()
            .i32(4)
            .i64(0)
            .i64(200);
    Path p = write("huge.nc", h.bytes());
    assertInvalid(() -> NetcdfFiles.open(p), p, "absurd header");
  }

  @Test
  void aVariableLargerThanTheFile() throws IOException {
    Header h =
        new Header(2)
            .numrecs(0)
            .tag(0x0A)
            .i32(1)
            .name("x")
            .i32(1_000_000)
            .absent()
            .tag(0x0B)
            .i32(1)
            .name("v")
            .i32(1)
            .i32(0)
            .absent()
            .i32(6)
            .i32(8_000_000)
            .i64(100);
    Path p = write("big.nc", h.bytes());
    assertInvalid(
        () -> NetcdfFiles.open(p),
        p,
        "truncated: variable v needs bytes up to 8000100 but the file has ");
  }

  @Test
  void dataInsideTheHeader() throws IOException {
    Header h =
        new Header(1)
            .numrecs(0)
            .tag(0x0A)
            .i32(1)
            .name("x")
            .i32(2)
            .absent()
            .tag(0x0B)
            .i32(1)
            .name("v")
            .i32(1)
            .i32(0)
            .absent()
            .i32(4)
            .i32(8)
            .i32(8)
            .i32(0)
            .i32(0);
    Path p = write("overlap.nc", h.bytes());
    assertInvalid(() -> NetcdfFiles.open(p), p, "variable v begins at offset 8, inside the header");
  }

  @Test
  void cdf5TypesInAClassicFile() throws IOException {
    Header h = new Header(1).numrecs(0).absent().tag(0x0C).i32(1).name("a").i32(7).i32(1).i32(0);
    Path p = write("type.nc", h.bytes());
    assertInvalid(() -> NetcdfFiles.open(p), p, "unknown or unsupported nc_type 7");
  }

  @Test
  void badListTag() throws IOException {
    Header h = new Header(1).numrecs(0).tag(0x0B).i32(0);
    Path p = write("tag.nc", h.bytes());
    assertInvalid(() -> NetcdfFiles.open(p), p, "expected the tag of the dimension list");
  }

  @Test
  void twoUnlimitedDimensions() throws IOException {
    Header h =
        new Header(1)
            .numrecs(0)
            .tag(0x0A)
            .i32(2)
            .name("a")
            .i32(0)
            .name("b")
            .i32(0)
            .absent()
            .absent();
    Path p = write("unlim.nc", h.bytes());
    assertInvalid(() -> NetcdfFiles.open(p), p, "more than one unlimited dimension");
  }

  @Test
  void unlimitedDimensionNotFirst() throws IOException {
    Header h =
        new Header(1)
            .numrecs(0)
            .tag(0x0A)
            .i32(2)
            .name("t")
            .i32(0)
            .name("x")
            .i32(2)
            .absent()
            .tag(0x0B)
            .i32(1)
            .name("v")
            .i32(2)
            .i32(1)
            .i32(0)
            .absent()
            .i32(4)
            .i32(8)
            .i32(200);
    Path p = write("order.nc", h.bytes());
    assertInvalid(() -> NetcdfFiles.open(p), p, "uses the unlimited dimension t at position 1");
  }

  @Test
  void flippedBytesInARealHeaderNeverEscapeAsOtherExceptions() throws IOException {
    for (String kind : new String[] {"classic", "cdf5"}) {
      Path good = Ncgen.generate(dir, "types-" + kind, kind, Nc3ReaderTest.CLASSIC_TYPES);
      byte[] bytes = Files.readAllBytes(good);
      long dataStart;
      try (NetcdfFile f = NetcdfFiles.open(good)) {
        dataStart = ((Nc3Variable) f.variables().get(0)).begin();
      }
      Random random = new Random(7);
      for (int i = 0; i < 300; i++) {
        byte[] copy = bytes.clone();
        int at = 4 + random.nextInt((int) dataStart - 4);
        copy[at] = (byte) random.nextInt(256);
        openAndReadEverything(write("flip.nc", copy));
      }
    }
  }

  /** Opening may fail only with InvalidNetcdfFileException; an opened file must read fully. */
  private static void openAndReadEverything(Path p) {
    NetcdfFile f;
    try {
      f = NetcdfFiles.open(p);
    } catch (InvalidNetcdfFileException e) {
      assertThat(e.source()).isEqualTo(p.toString());
      assertThat(e.reason()).isNotBlank();
      return;
    }
    try (f) {
      for (Variable v : f.variables()) {
        assertThat(v.read().size()).isGreaterThanOrEqualTo(0);
      }
    }
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static void assertInvalid(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Path p, String reason) {
    assertThatThrownBy(call)
        .isInstanceOf(InvalidNetcdfFileException.class)
        .hasMessageStartingWith(p.toString() + ": ")
        .hasMessageContaining(reason);
  }

  /** Writes a classic-format header field by field (big-endian), for hand-made bad files. */
  private static final class Header {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);
    private final boolean cdf5;

    Header(int version) throws IOException {
      cdf5 = version == 5;
      out.write(new byte[] {'C', 'D', 'F', (byte) version});
    }

    Header numrecs(int n) throws IOException {
      return i32(n);
    }

    Header tag(int tag) throws IOException {
      return i32(tag);
    }

    /** An ABSENT list. */
    Header absent() throws IOException {
      i32(0);
      return cdf5 ? i64(0) : i32(0);
    }

    Header name(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (cdf5) {
        i64(b.length);
      } else {
        i32(b.length);
      }
      out.write(b);
      out.write(new byte[(4 - b.length % 4) % 4]);
      return this;
    }

    Header i32(int v) throws IOException {
      out.writeInt(v);
      return this;
    }

    Header i64(long v) throws IOException {
      out.writeLong(v);
      return this;
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }
}
