package io.zarrsync.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZarrJsonTest {
  // zarr.util.json_dumps (zarr-python 2.13) of the same object.
  private static final String PYTHON =
      """
      {
          "a": "\\u00e9 \\u043a\\u043b\\u044e\\u0447",
          "b": [
              1,
              2.5,
              {
                  "a": true,
                  "z": null
              }
          ],
          "big": 18446744073709551615,
          "e": {},
          "f": 0.009999999776482582,
          "inf": -Infinity,
          "l": [],
          "nan": NaN
      }""";

  private static Map<String, Object> sample() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", null);
    inner.put("a", true);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nan", Double.NaN);
    m.put("b", List.of(1L, 2.5, inner));
    m.put("a", "é ключ");
    m.put("inf", Double.NEGATIVE_INFINITY);
    m.put("e", Map.of());
    m.put("l", List.of());
    m.put("big", new BigInteger("18446744073709551615"));
    m.put("f", (double) 0.01f);
    return m;
  }

  @Test
  void writesLikeZarrPython() {
    assertThat(new String(ZarrJson.write(sample()), StandardCharsets.US_ASCII)).isEqualTo(PYTHON);
  }

  @Test
  void onlyUnicodeEscapesAreLowerCased() {
    String json =
        new String(
            ZarrJson.write(Map.of("k", "\\u00AB \u00AB ABCDEF\\")), StandardCharsets.US_ASCII);
    assertThat(json).contains("\"\\\\u00AB \\u00ab ABCDEF\\\\\"");
    assertThat(ZarrJson.read(json.getBytes(StandardCharsets.US_ASCII), "k").get("k"))
        .isEqualTo("\\u00AB \u00AB ABCDEF\\");
  }

  @Test
  void readsWhatPythonWrites() {
    Map<String, Object> read = ZarrJson.read(PYTHON.getBytes(StandardCharsets.US_ASCII), "x");
    assertThat(JsonValues.canonicalMap(read, "x"))
        .isEqualTo(JsonValues.canonicalMap(sample(), "x"));
    assertThat(read.get("nan")).isEqualTo(Double.NaN);
    assertThat(read.get("big")).isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(((List<?>) read.get("b")).get(0)).isEqualTo(1L);
  }

  @Test
  void malformedJsonNamesTheKey() {
    assertThatThrownBy(
            () -> ZarrJson.read("{\"a\": ".getBytes(StandardCharsets.UTF_8), "v/.zarray"))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageStartingWith("v/.zarray");
    assertThatThrownBy(() -> ZarrJson.read("[1]".getBytes(StandardCharsets.UTF_8), "v/.zattrs"))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageStartingWith("v/.zattrs");
  }
}
