package io.zarrsync.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CodecTest {
  static Stream<Codec> codecs() {
    return Stream.of(
        Codec.zstd(1),
        Codec.zstd(3),
        Codec.zstd(-5),
        Codec.zstd(9),
        Codec.zlib(0),
        Codec.zlib(1),
        Codec.zlib(9),
        Codec.none());
  }

  static Stream<Arguments> codecsAndInputs() {
    Random r = new Random(7);
    byte[] random = new byte[100_000];
    r.nextBytes(random);
    ByteBuffer smooth = ByteBuffer.allocate(2 * 500_000).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 500_000; i++) {
      smooth.putShort((short) (Math.sin(i / 1000.0) * 3000));
    }
    byte[][] inputs = {new byte[] {42}, random, smooth.array(), new byte[1 << 20]};
    return codecs().flatMap(c -> Arrays.stream(inputs).map(in -> Arguments.of(c, in)));
  }

  @ParameterizedTest
  @MethodSource("codecsAndInputs")
  void roundTrips(Codec codec, byte[] input) {
    byte[] encoded = codec.encode(input);
    assertThat(codec.decode(encoded)).isEqualTo(input);
    assertThat(codec.decode(encoded, input.length)).isEqualTo(input);
    if (!codec.isNone()) {
      assertThatThrownBy(() -> codec.decode(encoded, input.length / 3))
          .isInstanceOf(ZarrFormatException.class)
          .hasMessageContaining("expected " + input.length / 3);
    }
  }

  @Test
  void compressibleDataShrinks() {
    byte[] zeros = new byte[1 << 20];
    assertThat(Codec.zstd(1).encode(zeros).length).isLessThan(1000);
    assertThat(Codec.zlib(1).encode(zeros).length).isLessThan(10_000);
    assertThat(Codec.none().encode(zeros)).hasSize(zeros.length);
  }

  @Test
  void zstdFramesRecordTheContentSizeAsNumcodecsNeeds() {
    byte[] input = new byte[123_457];
    new Random(1).nextBytes(input);
    assertThat(Zstd.getFrameContentSize(Codec.zstd(3).encode(input))).isEqualTo(input.length);
  }

  @Test
  void reusedZstdContextsGiveTheOneShotFramesAtEveryLevelFromManyThreads() throws Exception {
    // Compression reuses native contexts and output buffers between calls and threads: the
    // frames must be those of a fresh one-shot ZSTD_compress, whatever ran before on the context.
    Random r = new Random(5);
    byte[][] inputs = new byte[6][];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = new byte[1 + r.nextInt(400_000)];
      for (int k = 0; k < inputs[i].length; k++) {
        inputs[i][k] = (byte) (r.nextInt(1 + 20 * i) + k / 1000);
      }
    }
    int[] levels = {1, 3, 9, -5, 19};
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int k = 0; k < 20; k++) {
                    byte[] in = inputs[(seed + k) % inputs.length];
                    int level = levels[(seed * 3 + k) % levels.length];
                    byte[] frame = Codec.zstd(level).encode(in);
                    assertThat(frame).isEqualTo(Zstd.compress(in, level));
                    assertThat(Zstd.getFrameContentSize(frame)).isEqualTo(in.length);
                    assertThat(Codec.zstd(level).decode(frame)).isEqualTo(in);
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void zstdFramesWithoutContentSizeDecode() throws IOException {
    byte[] input = new byte[300_000];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i % 251);
    }
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ZstdOutputStream out = new ZstdOutputStream(bos, 3)) {
      out.write(input, 0, 1000);
      out.flush();
      out.write(input, 1000, input.length - 1000);
    }
    byte[] frame = bos.toByteArray();
    assertThat(Zstd.getFrameContentSize(frame)).isEqualTo(-1);
    assertThat(Codec.zstd(3).decode(frame)).isEqualTo(input);
  }

  @Test
  void concatenatedZstdFramesDecodeWhole() {
    byte[] a = "first frame ".repeat(50).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] b = "second frame".repeat(70).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] fa = Zstd.compress(a, 1);
    byte[] fb = Zstd.compress(b, 1);
    byte[] both = Arrays.copyOf(fa, fa.length + fb.length);
    System.arraycopy(fb, 0, both, fa.length, fb.length);
    byte[] expected = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, expected, a.length, b.length);
    assertThat(Codec.zstd(1).decode(both)).isEqualTo(expected);
  }

  @Test
  void decodesAFrameWrittenByNumcodecs() {
    // numcodecs 0.11: Zstd(level=3).encode(b"hello hello hello")
    byte[] frame = HexFormat.of().parseHex("28b52ffd20116500003068656c6c6f200100314a11");
    assertThat(new String(Codec.zstd(3).decode(frame), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("hello hello hello");
  }

  @Test
  void zlibOutputIsAZlibStreamPythonCanRead() throws Exception {
    byte[] input = "zarr zarr zarr zarr".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] encoded = Codec.zlib(1).encode(input);
    // RFC 1950 header: CM=8 (deflate), and the header checksum holds.
    assertThat(encoded[0] & 0x0F).isEqualTo(8);
    assertThat(((encoded[0] & 0xFF) << 8 | (encoded[1] & 0xFF)) % 31).isZero();
    Inflater inflater = new Inflater(false);
    inflater.setInput(encoded);
    byte[] out = new byte[input.length];
    assertThat(inflater.inflate(out)).isEqualTo(input.length);
    assertThat(inflater.finished()).isTrue();
    inflater.end();
    assertThat(out).isEqualTo(input);
  }

  @Test
  void zlibDecodesStreamsFromOtherDeflaters() {
    byte[] input = new byte[50_000];
    new Random(3).nextBytes(input);
    Deflater deflater = new Deflater(6);
    deflater.setInput(input);
    deflater.finish();
    byte[] buffer = new byte[100_000];
    int n = deflater.deflate(buffer);
    deflater.end();
    assertThat(Codec.zlib(6).decode(Arrays.copyOf(buffer, n))).isEqualTo(input);
  }

  @Test
  void damagedInputFailsWithZarrFormatException() {
    byte[] zstd = Codec.zstd(1).encode(new byte[1000]);
    assertThatThrownBy(() -> Codec.zstd(1).decode(Arrays.copyOf(zstd, zstd.length - 3)))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("zstd");
    assertThatThrownBy(() -> Codec.zstd(1).decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .isInstanceOf(ZarrFormatException.class);
    byte[] zlib = Codec.zlib(1).encode(new byte[1000]);
    assertThatThrownBy(() -> Codec.zlib(1).decode(Arrays.copyOf(zlib, zlib.length / 2)))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("zlib");
    assertThatThrownBy(() -> Codec.zlib(1).decode(new byte[] {1, 2, 3, 4, 5}))
        .isInstanceOf(ZarrFormatException.class);
  }

  @Test
  void factoriesAndValidation() {
    assertThat(Codec.zstd(3)).isEqualTo(new Codec("zstd", 3));
    assertThat(Codec.zlib(1)).isEqualTo(new Codec("ZLIB", 1));
    assertThat(Codec.none().isNone()).isTrue();
    assertThat(Codec.zstd(22).level()).isEqualTo(Zstd.maxCompressionLevel());
    assertThat(ZstdCompression.MIN_LEVEL).isEqualTo(Zstd.minCompressionLevel());
    assertThatThrownBy(() -> Codec.zstd(23)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Codec.zlib(10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Codec.zlib(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Codec("none", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Codec("blosc", 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blosc");
    assertThatThrownBy(() -> new Codec(null, 5)).isInstanceOf(IllegalArgumentException.class);
  }
}
