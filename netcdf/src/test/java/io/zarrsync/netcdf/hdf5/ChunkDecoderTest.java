package io.zarrsync.netcdf.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkDecoderTest {
  /** HDF5's shuffle as H5Zshuffle.c writes it: byte i of element j goes to i * n + j. */
  static byte[] shuffle(byte[] data, int elementSize) {
    int n = data.length / elementSize;
    byte[] out = data.clone();
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < elementSize; i++) {
        out[i * n + j] = data[j * elementSize + i];
      }
    }
    return out;
  }

  @Test
  void unshuffleInvertsShuffleForEveryElementSizeAndTail() {
    Random random = new Random(3);
    for (int es = 1; es <= 9; es++) {
      for (int length : new int[] {0, 1, es, 7 * es, 1000 * es + es / 2, 4099}) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        byte[] out = new byte[length];
        ChunkDecoder.unshuffle(ByteBuffer.wrap(shuffle(data, es)), out, es);
        assertThat(out).as("element size %d, %d bytes", es, length).isEqualTo(data);
      }
    }
  }

  /** The straightforward unshuffle, element by element and byte by byte. */
  static void unshuffleSlowly(
      byte[] src, int base, int n, int es, int first, byte[] out, int outOffset, int count) {
    for (int j = 0; j < count; j++) {
      for (int i = 0; i < es; i++) {
        out[outOffset + j * es + i] = src[base + i * n + first + j];
      }
    }
  }

  @Test
  void unshuffleRunMatchesTheStraightforwardLoopForEveryElementSizeAndRun() {
    Random random = new Random(11);
    for (int es = 1; es <= 9; es++) {
      for (int n : new int[] {1, 2, 7, 63, 1001, 4099}) {
        int base = random.nextInt(5);
        byte[] src = new byte[base + n * es + random.nextInt(3)];
        random.nextBytes(src);
        for (int rep = 0; rep < 20; rep++) {
          int first = random.nextInt(n);
          int count = random.nextInt(n - first + 1);
          int outOffset = random.nextInt(7);
          byte[] want = new byte[outOffset + count * es + 3];
          random.nextBytes(want);
          byte[] got = want.clone();
          unshuffleSlowly(src, base, n, es, first, want, outOffset, count);
          ChunkDecoder.unshuffleRun(src, base, n, es, first, got, outOffset, count);
          assertThat(got)
              .as("element size %d, n %d, run %d+%d at %d", es, n, first, count, outOffset)
              .isEqualTo(want);
        }
      }
    }
  }

  @Test
  void unshuffleMatchesTheStraightforwardLoopOnOddLengths() {
    Random random = new Random(13);
    for (int es : new int[] {2, 3, 4, 8}) {
      for (int rep = 0; rep < 50; rep++) {
        int length = random.nextInt(20_000);
        byte[] src = new byte[length];
        random.nextBytes(src);
        int n = length / es;
        byte[] want = new byte[length];
        unshuffleSlowly(src, 0, n, es, 0, want, 0, n);
        // HDF5 leaves the bytes past the last whole element where they are.
        System.arraycopy(src, n * es, want, n * es, length - n * es);
        byte[] got = new byte[length];
        ChunkDecoder.unshuffle(ByteBuffer.wrap(src), got, es);
        assertThat(got).as("element size %d, %d bytes", es, length).isEqualTo(want);
      }
    }
  }

  @Test
  void unshuffleReadsFromTheBufferPositionOfSlicesAndDirectBuffers() {
    byte[] data = new byte[64];
    new Random(5).nextBytes(data);
    byte[] shuffled = shuffle(data, 4);
    byte[] padded = new byte[shuffled.length + 10];
    System.arraycopy(shuffled, 0, padded, 10, shuffled.length);
    byte[] out = new byte[64];
    ChunkDecoder.unshuffle(ByteBuffer.wrap(padded, 10, 64).slice(), out, 4);
    assertThat(out).isEqualTo(data);
    ByteBuffer direct = ByteBuffer.allocateDirect(64).put(shuffled).flip();
    byte[] out2 = new byte[64];
    ChunkDecoder.unshuffle(direct, out2, 4);
    assertThat(out2).isEqualTo(data);
  }

  @Test
  void fletcher32MatchesHdf5ForOddAndEvenLengths() {
    // Expected values computed by libhdf5's own H5_checksum_fletcher32 (1.10.8).
    assertThat(ChunkDecoder.fletcher32(new byte[0])).isZero();
    assertThat(ChunkDecoder.fletcher32(new byte[] {0, 1})).isEqualTo(0x00010001);
    assertThat(ChunkDecoder.fletcher32(new byte[] {0, 1, 0, 2})).isEqualTo(0x00040003);
    assertThat(ChunkDecoder.fletcher32(new byte[] {1})).isEqualTo(0x01000100);
    assertThat(ChunkDecoder.fletcher32("abcde".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(0x4ff029c7);
    byte[] long12800 = new byte[12800];
    for (int i = 0; i < long12800.length; i++) {
      long12800[i] = (byte) i;
    }
    assertThat(ChunkDecoder.fletcher32(long12800)).isEqualTo(0x38638c73);
  }
}
