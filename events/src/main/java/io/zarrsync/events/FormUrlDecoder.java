package io.zarrsync.events;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes an object key the way S3 encodes it in event notifications: {@code
 * application/x-www-form-urlencoded}, so {@code +} is a space, {@code %2B} a literal plus and
 * {@code %XX} sequences are UTF-8 bytes. Unlike {@link java.net.URLDecoder} it refuses invalid
 * UTF-8 instead of replacing it with U+FFFD, so a damaged key never turns into another key.
 */
final class FormUrlDecoder {
  private FormUrlDecoder() {}

  /**
   * Returns the decoded key.
   *
   * @throws IllegalArgumentException naming the position of a bad escape, or saying that the
   *     escapes are not UTF-8
   */
  static String decode(String encoded) {
    ByteBuffer bytes = ByteBuffer.allocate(encoded.length() * 4);
    int i = 0;
    while (i < encoded.length()) {
      char c = encoded.charAt(i);
      if (c == '+') {
        bytes.put((byte) ' ');
        i++;
      } else if (c == '%') {
        int hi = i + 2 < encoded.length() ? hexValue(encoded.charAt(i + 1)) : -1;
        int lo = hi >= 0 ? hexValue(encoded.charAt(i + 2)) : -1;
        if (lo < 0) {
          throw new IllegalArgumentException(
              "'%' at position " + i + " is not followed by two hexadecimal digits");
        }
        bytes.put((byte) (hi << 4 | lo));
        i += 3;
      } else {
        int cp = encoded.codePointAt(i);
        if (Character.isSurrogate((char) cp)) {
          throw new IllegalArgumentException("unpaired surrogate at position " + i);
        }
        bytes.put(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
      }
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("its %-escapes are not valid UTF-8", e);
    }
  }

  /**
   * The value of an ASCII hex digit, or -1 ({@link Character#digit} also accepts other scripts).
   */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
