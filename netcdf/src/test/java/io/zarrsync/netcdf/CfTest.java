package io.zarrsync.netcdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CfTest {

  @Nested
  class Fill {
    @Test
    void defaultFillValuesAreTheNetcdfOnes() {
      assertThat(Cf.defaultFill(DataType.BYTE)).isEqualTo((byte) -127);
      assertThat(Cf.defaultFill(DataType.UBYTE)).isEqualTo((short) 255);
      assertThat(Cf.defaultFill(DataType.SHORT)).isEqualTo((short) -32767);
      assertThat(Cf.defaultFill(DataType.USHORT)).isEqualTo(65535);
      assertThat(Cf.defaultFill(DataType.INT)).isEqualTo(-2147483647);
      assertThat(Cf.defaultFill(DataType.UINT)).isEqualTo(4294967295L);
      assertThat(Cf.defaultFill(DataType.LONG)).isEqualTo(-9223372036854775806L);
      assertThat(Cf.defaultFill(DataType.ULONG)).isEqualTo(new BigInteger("18446744073709551614"));
      assertThat(Cf.defaultFill(DataType.FLOAT)).isEqualTo(9.96921e36f);
      assertThat(Cf.defaultFill(DataType.DOUBLE)).isEqualTo(9.969209968386869e36);
      assertThat(Cf.defaultFill(DataType.CHAR)).isEqualTo((byte) 0);
      assertThatThrownBy(() -> Cf.defaultFill(DataType.STRING))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultFillBytesAreLittleEndianElements() {
      assertThat(Cf.defaultFillBytes(DataType.SHORT)).containsExactly(0x01, 0x80);
      assertThat(Cf.defaultFillBytes(DataType.UBYTE)).containsExactly(0xFF);
      assertThat(Cf.defaultFillBytes(DataType.UINT)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF);
      assertThat(Cf.defaultFillBytes(DataType.ULONG))
          .containsExactly(0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
      assertThat(Cf.defaultFillBytes(DataType.FLOAT)).containsExactly(0, 0, 0xF0, 0x7C);
      assertThat(Cf.defaultFillBytes(DataType.DOUBLE))
          .containsExactly(0, 0, 0, 0, 0, 0, 0x9E, 0x47);
      NdArray a = NdArray.allocate(DataType.INT, 3);
      a.fillRaw(Cf.defaultFillBytes(DataType.INT));
      assertThat(a.getLong(2)).isEqualTo(-2147483647L);
    }
  }

  @Nested
  class Decode {
    @Test
    void scaleAndOffsetUnpackShorts() {
      NdArray raw = shorts(0, 100, -200);
      List<Attribute> atts =
          List.of(
              new Attribute("scale_factor", DataType.DOUBLE, List.of(0.01)),
              new Attribute("add_offset", DataType.DOUBLE, List.of(273.15)));
      assertThat(Cf.decode(raw, atts)).containsExactly(273.15, 274.15, 271.15);
    }

    @Test
    void fillAndMissingValuesBecomeNaNBeforeUnpacking() {
      NdArray raw = shorts(-32768, 5, 7, -1);
      List<Attribute> atts =
          List.of(
              new Attribute("_FillValue", DataType.SHORT, List.of((short) -32768)),
              new Attribute("missing_value", DataType.SHORT, List.of((short) 7, (short) -1)),
              new Attribute("scale_factor", DataType.FLOAT, List.of(2.0f)));
      double[] d = Cf.decode(raw, atts);
      assertThat(d[0]).isNaN();
      assertThat(d[1]).isEqualTo(10.0);
      assertThat(d[2]).isNaN();
      assertThat(d[3]).isNaN();
      assertThat(Cf.missing(raw, atts)).containsExactly(true, false, true, true);
    }

    @Test
    void withoutAttributesValuesPassThrough() {
      NdArray raw = NdArray.wrap(DataType.DOUBLE, new int[] {2}, doubleBytes(1.5, -2.25));
      assertThat(Cf.decode(raw, List.of())).containsExactly(1.5, -2.25);
      assertThat(Cf.missing(raw, List.of())).containsExactly(false, false);
    }

    @Test
    void floatFillIsComparedAtFloatPrecision() {
      NdArray raw = NdArray.allocate(DataType.FLOAT, 3);
      raw.setDouble(0, 99999.0f);
      raw.setDouble(1, 0.1f);
      raw.setDouble(2, Float.NaN);
      List<Attribute> atts =
          List.of(new Attribute("_FillValue", DataType.DOUBLE, List.of(99999.0)));
      double[] d = Cf.decode(raw, atts);
      assertThat(d[0]).isNaN();
      assertThat(d[1]).isEqualTo(0.1f);
      assertThat(d[2]).isNaN();
      // A NaN fill masks NaN elements.
      List<Attribute> nanFill =
          List.of(new Attribute("_FillValue", DataType.FLOAT, List.of(Float.NaN)));
      assertThat(Cf.missing(raw, nanFill)).containsExactly(false, false, true);
    }

    @Test
    void unsignedDataIsMaskedBitForBitWithASignedFill() {
      NdArray raw = NdArray.wrap(DataType.UBYTE, new int[] {3}, new byte[] {(byte) 255, 1, 127});
      List<Attribute> atts =
          List.of(
              new Attribute("_FillValue", DataType.BYTE, List.of((byte) -1)),
              new Attribute("scale_factor", DataType.FLOAT, List.of(0.5f)));
      double[] d = Cf.decode(raw, atts);
      assertThat(d[0]).isNaN();
      assertThat(d[1]).isEqualTo(0.5);
      assertThat(d[2]).isEqualTo(63.5);
    }

    @Test
    void ulongValuesAreWidenedAndMaskedByBits() {
      NdArray raw = NdArray.allocate(DataType.ULONG, 2);
      raw.setLong(0, -1L);
      raw.setLong(1, -2L);
      List<Attribute> atts =
          List.of(
              new Attribute(
                  "_FillValue", DataType.ULONG, List.of(new BigInteger("18446744073709551614"))));
      double[] d = Cf.decode(raw, atts);
      assertThat(d[0]).isEqualTo(1.8446744073709552e19);
      assertThat(d[1]).isNaN();
    }

    @Test
    void decodeToArrayFollowsTheTypeOfThePackingAttributes() {
      NdArray raw = shorts(1, 2, -32767);
      List<Attribute> floatPacking =
          List.of(
              new Attribute("scale_factor", DataType.FLOAT, List.of(0.5f)),
              new Attribute("add_offset", DataType.FLOAT, List.of(10f)),
              new Attribute("_FillValue", DataType.SHORT, List.of((short) -32767)));
      NdArray f = Cf.decodeToArray(raw, floatPacking);
      assertThat(f.type()).isEqualTo(DataType.FLOAT);
      assertThat(f.shape()).containsExactly(3);
      assertThat(f.getDouble(0)).isEqualTo(10.5);
      assertThat(f.getDouble(2)).isNaN();
      List<Attribute> doublePacking =
          List.of(new Attribute("scale_factor", DataType.DOUBLE, List.of(0.5)));
      assertThat(Cf.decodeToArray(raw, doublePacking).type()).isEqualTo(DataType.DOUBLE);
      assertThat(Cf.unpackedType(DataType.INT, floatPacking)).isEqualTo(DataType.DOUBLE);
      assertThat(Cf.unpackedType(DataType.FLOAT, List.of())).isEqualTo(DataType.FLOAT);
      assertThat(Cf.unpackedType(DataType.DOUBLE, floatPacking)).isEqualTo(DataType.DOUBLE);
    }

    @Test
    void textCannotBeDecoded() {
      NdArray chars = NdArray.allocate(DataType.CHAR, 2);
      assertThatThrownBy(() -> Cf.decode(chars, List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CHAR");
    }
  }

  @Nested
  class Chars {
    @Test
    void trailingNulsAreStrippedAndTrailingSpacesKept() {
      NdArray chars = chars(new int[] {3, 4}, "ab\0\0" + "cd  " + "\0\0\0\0");
      NdArray s = Cf.charsToStrings(chars);
      assertThat(s.type()).isEqualTo(DataType.STRING);
      assertThat(s.shape()).containsExactly(3);
      assertThat(s.getString(0)).isEqualTo("ab");
      assertThat(s.getString(1)).isEqualTo("cd  ");
      assertThat(s.getString(2)).isEmpty();
    }

    @Test
    void embeddedNulsStayLikeInNetcdf4Python() {
      NdArray s = Cf.charsToStrings(chars(new int[] {1, 4}, "a\0b\0"));
      assertThat(s.getString(0)).isEqualTo("a\0b");
    }

    @Test
    void higherRanksKeepTheLeadingShape() {
      NdArray s = Cf.charsToStrings(chars(new int[] {2, 2, 2}, "abcdefgh"));
      assertThat(s.shape()).containsExactly(2, 2);
      assertThat(s.getString(3)).isEqualTo("gh");
    }

    @Test
    void rankOneGivesOneString() {
      NdArray s = Cf.charsToStrings(chars(new int[] {5}, "hi\0\0\0"));
      assertThat(s.rank()).isZero();
      assertThat(s.getString(0)).isEqualTo("hi");
    }

    @Test
    void utf8IsDecoded() {
      byte[] b = "é\0\0".getBytes(StandardCharsets.UTF_8); // 2 bytes + 2 NULs
      NdArray s = Cf.charsToStrings(NdArray.wrap(DataType.CHAR, new int[] {1, 4}, b));
      assertThat(s.getString(0)).isEqualTo("é");
    }

    @Test
    void zeroLengthStringsAndEmptyArrays() {
      assertThat(Cf.charsToStrings(NdArray.allocate(DataType.CHAR, 2, 0)).getString(1)).isEmpty();
      assertThat(Cf.charsToStrings(NdArray.allocate(DataType.CHAR, 0, 3)).size()).isZero();
    }

    @Test
    void rankZeroAndNumbersAreRejected() {
      assertThatThrownBy(() -> Cf.charsToStrings(NdArray.allocate(DataType.CHAR)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Cf.charsToStrings(NdArray.allocate(DataType.INT, 2)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Time {
    @Test
    void argoJuld() {
      Cf.CfTimeUnits u = Cf.parseTimeUnits("days since 1950-01-01 00:00:00 UTC");
      assertThat(u.unit()).isEqualTo(ChronoUnit.DAYS);
      assertThat(u.epoch()).isEqualTo(Instant.parse("1950-01-01T00:00:00Z"));
      assertThat(u.toInstant(25567.0)).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
      assertThat(u.toInstant(25567.5)).isEqualTo(Instant.parse("2020-01-01T12:00:00Z"));
      assertThat(u.toInstant(-0.25)).isEqualTo(Instant.parse("1949-12-31T18:00:00Z"));
      // A real JULD: fractions of a day round to the microsecond.
      assertThat(u.toInstant(25189 + 33295.0 / 86400))
          .isEqualTo(Instant.parse("2018-12-19T09:14:55Z"));
      assertThat(u.fromInstant(Instant.parse("2020-01-01T12:00:00Z"))).isEqualTo(25567.5);
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "seconds since 1981-01-01|SECONDS|1981-01-01T00:00:00Z",
          "hours since 1992-1-1 0:0:0|HOURS|1992-01-01T00:00:00Z",
          "days since 1950-01-01T00:00:00Z|DAYS|1950-01-01T00:00:00Z",
          "minutes since 2000-02-29 12:30|MINUTES|2000-02-29T12:30:00Z",
          "seconds since 1970-01-01 00:00:00.5|SECONDS|1970-01-01T00:00:00.500Z",
          "days since 2000-01-01 00:00:00 +10:00|DAYS|1999-12-31T14:00:00Z",
          "days since 2000-01-01T00:00:00-0530|DAYS|2000-01-01T05:30:00Z",
          "hours since 2000-01-01 -3|HOURS|2000-01-01T03:00:00Z",
          "  Days Since 1900-01-01 00:00:00 GMT  |DAYS|1900-01-01T00:00:00Z",
          "milliseconds since 2010-06-01|MILLIS|2010-06-01T00:00:00Z",
          "microseconds since 2010-06-01|MICROS|2010-06-01T00:00:00Z",
          "day since 2010-06-01|DAYS|2010-06-01T00:00:00Z",
          "sec since 2010-06-01|SECONDS|2010-06-01T00:00:00Z",
          "weeks since 2010-06-01|WEEKS|2010-06-01T00:00:00Z",
        })
    void parsesCommonForms(String units, ChronoUnit unit, String epoch) {
      Cf.CfTimeUnits u = Cf.parseTimeUnits(units);
      assertThat(u.unit()).isEqualTo(unit);
      assertThat(u.epoch()).isEqualTo(Instant.parse(epoch));
    }

    @Test
    void ghrsstSecondsSince1981() {
      Cf.CfTimeUnits u = Cf.parseTimeUnits("seconds since 1981-01-01 00:00:00", "gregorian");
      Instant t = Instant.parse("2023-06-01T03:20:00Z");
      double v = u.fromInstant(t);
      assertThat(v).isEqualTo(1338434400.0);
      assertThat(u.toInstant(v)).isEqualTo(t);
    }

    @Test
    void subSecondUnitsRoundTrip() {
      Cf.CfTimeUnits u = Cf.parseTimeUnits("milliseconds since 2000-01-01");
      Instant t = Instant.parse("2000-01-01T00:00:01.234Z");
      assertThat(u.fromInstant(t)).isEqualTo(1234.0);
      assertThat(u.toInstant(1234.0)).isEqualTo(t);
      assertThat(u.fromInstant(Instant.parse("1999-12-31T23:59:59.999Z"))).isEqualTo(-1.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"standard", "gregorian", "proleptic_gregorian", "Standard", ""})
    void supportedCalendars(String calendar) {
      assertThat(Cf.parseTimeUnits("days since 2000-01-01", calendar).epoch())
          .isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"noleap", "365_day", "all_leap", "366_day", "360_day", "julian", "none"})
    void otherCalendarsAreRejected(String calendar) {
      assertThatThrownBy(() -> Cf.parseTimeUnits("days since 2000-01-01", calendar))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unsupported calendar '" + calendar + "'");
    }

    @Test
    void standardCalendarBeforeTheReformIsRejectedButProlepticIsNot() {
      assertThatThrownBy(() -> Cf.parseTimeUnits("days since 0001-01-01", "standard"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1582-10-15");
      assertThat(Cf.parseTimeUnits("days since 0001-01-01", "proleptic_gregorian").epoch())
          .isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
      assertThat(Cf.parseTimeUnits("days since 1582-10-15").epoch())
          .isEqualTo(Instant.parse("1582-10-15T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "days",
          "days since",
          "days since yesterday",
          "fortnights since 2000-01-01",
          "months since 2000-01-01",
          "years since 2000-01-01",
          "days since 2000-13-01",
          "days since 2000-02-30",
          "days since 2000-01-01 25:00:00",
          "days since 2000-01-01 00:00:00 +25:00",
        })
    void malformedUnitsAreRejected(String units) {
      assertThatThrownBy(() -> Cf.parseTimeUnits(units))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + units + "'");
    }

    @Test
    void nonFiniteValuesAreRejected() {
      Cf.CfTimeUnits u = Cf.parseTimeUnits("days since 2000-01-01");
      assertThatThrownBy(() -> u.toInstant(Double.NaN))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> u.toInstant(Double.POSITIVE_INFINITY))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> u.toInstant(1e300)).isInstanceOf(ArithmeticException.class);
    }
  }

  private static NdArray shorts(int... values) {
    NdArray a = NdArray.allocate(DataType.SHORT, values.length);
    for (int i = 0; i < values.length; i++) {
      a.setLong(i, values[i]);
    }
    return a;
  }

  private static byte[] doubleBytes(double... values) {
    NdArray a = NdArray.allocate(DataType.DOUBLE, values.length);
    for (int i = 0; i < values.length; i++) {
      a.setDouble(i, values[i]);
    }
    return a.toByteArray();
  }

  private static NdArray chars(int[] shape, String text) {
    return NdArray.wrap(DataType.CHAR, shape, text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
