package io.zarrsync.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VLenUtf8Test {
  // numcodecs 0.11: VLenUTF8().encode(np.array(["ab", "é", ""], dtype=object))
  private static final String NUMCODECS = "0300000002000000616202000000c3a900000000";

  @Test
  void encodesLikeNumcodecs() {
    assertThat(HexFormat.of().formatHex(VLenUtf8.encode(new String[] {"ab", "é", ""})))
        .isEqualTo(NUMCODECS);
  }

  @Test
  void decodesNumcodecsBytes() {
    assertThat(VLenUtf8.decode(HexFormat.of().parseHex(NUMCODECS), 3))
        .containsExactly("ab", "é", "");
  }

  @Test
  void roundTripsUnicode() {
    String[] items = {"", "ключ", "😀 emoji", "a\u0000b", "x".repeat(70_000)};
    assertThat(VLenUtf8.decode(VLenUtf8.encode(items), items.length)).containsExactly(items);
  }

  @Test
  void rejectsDamagedInput() {
    byte[] ok = VLenUtf8.encode(new String[] {"abc", "def"});
    assertThatThrownBy(() -> VLenUtf8.decode(ok, 3))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("2 items");
    assertThatThrownBy(() -> VLenUtf8.decode(Arrays.copyOf(ok, ok.length - 1), 2))
        .isInstanceOf(ZarrFormatException.class);
    assertThatThrownBy(() -> VLenUtf8.decode(new byte[2], 0))
        .isInstanceOf(ZarrFormatException.class);
    byte[] badUtf8 = HexFormat.of().parseHex("0100000002000000c328");
    assertThatThrownBy(() -> VLenUtf8.decode(badUtf8, 1))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("UTF-8");
  }
}
