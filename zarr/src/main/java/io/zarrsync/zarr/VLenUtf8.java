package io.zarrsync.zarr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The numcodecs {@code vlen-utf8} filter: a uint32 LE item count, then per item a uint32 LE byte
 * length and the UTF-8 bytes.
 */
final class VLenUtf8 {
  private VLenUtf8() {}

  static byte[] encode(String[] items) {
    byte[][] encoded = new byte[items.length][];
    long total = 4;
    for (int i = 0; i < items.length; i++) {
      encoded[i] = items[i].getBytes(StandardCharsets.UTF_8);
      total += 4 + encoded[i].length;
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("vlen-utf8 chunk of " + total + " bytes exceeds 2 GiB");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(items.length);
    for (byte[] b : encoded) {
      out.putInt(b.length);
      out.put(b);
    }
    return out.array();
  }

  /**
   * Decodes exactly {@code expectedCount} items.
   *
   * @throws ZarrFormatException if the bytes are truncated, hold another count or invalid UTF-8
   */
  static String[] decode(byte[] bytes, int expectedCount) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < 4) {
      throw new ZarrFormatException("vlen-utf8: " + bytes.length + " bytes hold no item count");
    }
    long count = in.getInt() & 0xFFFFFFFFL;
    if (count != expectedCount) {
      throw new ZarrFormatException(
          "vlen-utf8: " + count + " items where the chunk has " + expectedCount);
    }
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    String[] out = new String[expectedCount];
    for (int i = 0; i < expectedCount; i++) {
      if (in.remaining() < 4) {
        throw new ZarrFormatException("vlen-utf8: truncated before item " + i);
      }
      long length = in.getInt() & 0xFFFFFFFFL;
      if (length > in.remaining()) {
        throw new ZarrFormatException("vlen-utf8: item " + i + " runs past the end");
      }
      ByteBuffer item = in.slice().limit((int) length);
      try {
        out[i] = decoder.decode(item).toString();
      } catch (CharacterCodingException e) {
        throw new ZarrFormatException("vlen-utf8: item " + i + " is not valid UTF-8", e);
      }
      in.position(in.position() + (int) length);
    }
    return out;
  }
}
