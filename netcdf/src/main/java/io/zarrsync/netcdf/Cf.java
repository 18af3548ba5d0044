package io.zarrsync.netcdf;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CF-convention helpers over the raw values that readers return: unpacking ({@code scale_factor},
 * {@code add_offset}), masking ({@code _FillValue}, {@code missing_value}), the NetCDF default fill
 * values, char arrays to strings, and CF time units.
 *
 * <p>Only {@code _FillValue} and {@code missing_value} mask values; {@code valid_min}, {@code
 * valid_max} and {@code valid_range} are not applied, and a variable without {@code _FillValue} is
 * not masked with the default fill value. Fill values are compared with the raw element bits of the
 * variable's width, so a {@code _FillValue} stored as signed byte {@code -1} masks 255 in an {@code
 * _Unsigned} byte variable.
 */
public final class Cf {
  private Cf() {}

  // ---------------------------------------------------------------- fill values

  /**
   * The NetCDF default fill value ({@code NC_FILL_*}) of {@code type}, in the Java type that {@link
   * Attribute} uses for that type; {@link DataType#CHAR} gives the NUL byte as a {@link Byte}.
   *
   * @throws IllegalArgumentException for {@link DataType#STRING}, whose fill is the empty string
   */
  public static Number defaultFill(DataType type) {
    return switch (type) {
      case BYTE -> (byte) -127;
      case UBYTE -> (short) 255;
      case SHORT -> (short) -32767;
      case USHORT -> 65535;
      case INT -> -2147483647;
      case UINT -> 4294967295L;
      case LONG -> -9223372036854775806L;
      case ULONG -> new BigInteger("18446744073709551614");
      case FLOAT -> Float.intBitsToFloat(0x7cf00000); // NC_FILL_FLOAT, 9.9692099683868690e+36f
      case DOUBLE -> 9.9692099683868690e+36;
      case CHAR -> (byte) 0;
      case STRING ->
          throw new IllegalArgumentException(
              "STRING has no numeric fill value (NetCDF uses the empty string)");
    };
  }

  /**
   * The default fill value of {@code type} as one little-endian element, for {@link
   * NdArray#fillRaw}.
   */
  public static byte[] defaultFillBytes(DataType type) {
    return rawElement(type, defaultFill(type));
  }

  /**
   * {@code value} as one little-endian element of {@code type}, narrowed to the type's width (so
   * {@code -1} gives {@code 0xFF} for UBYTE).
   */
  public static byte[] rawElement(DataType type, Number value) {
    if (type == DataType.STRING) {
      throw new IllegalArgumentException("STRING has no raw element");
    }
    ByteBuffer b = ByteBuffer.allocate(type.size()).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case FLOAT -> b.putFloat(value.floatValue());
      case DOUBLE -> b.putDouble(value.doubleValue());
      case BYTE, UBYTE, CHAR -> b.put(value.byteValue());
      case SHORT, USHORT -> b.putShort(value.shortValue());
      case INT, UINT -> b.putInt(value.intValue());
      default -> b.putLong(value.longValue());
    }
    return b.array();
  }

  // ---------------------------------------------------------------- masking and unpacking

  /**
   * Decodes raw numeric values: elements equal to {@code _FillValue} or to any {@code
   * missing_value} become NaN, the others become {@code raw * scale_factor + add_offset} (1 and 0
   * when absent).
   *
   * @throws IllegalArgumentException if {@code raw} is not numeric
   */
  public static double[] decode(NdArray raw, List<Attribute> attributes) {
    requireNumeric(raw);
    Masker masker = Masker.of(raw.type(), attributes);
    double scale = number(attributes, "scale_factor").map(Number::doubleValue).orElse(1.0);
    double offset = number(attributes, "add_offset").map(Number::doubleValue).orElse(0.0);
    boolean packed = scale != 1.0 || offset != 0.0;
    double[] out = new double[raw.size()];
    for (int i = 0; i < out.length; i++) {
      if (masker.isMissing(raw, i)) {
        out[i] = Double.NaN;
      } else {
        double v = raw.getDouble(i);
        out[i] = packed ? v * scale + offset : v;
      }
    }
    return out;
  }

  /**
   * Like {@link #decode} but returns an array of the raw shape whose type follows the CF rule for
   * unpacked data: FLOAT when {@code scale_factor}/{@code add_offset} are FLOAT (or absent) and the
   * raw type is at most 16 bits wide or FLOAT, else DOUBLE.
   */
  public static NdArray decodeToArray(NdArray raw, List<Attribute> attributes) {
    double[] values = decode(raw, attributes);
    DataType out = unpackedType(raw.type(), attributes);
    NdArray result = NdArray.allocate(out, raw.shape());
    for (int i = 0; i < values.length; i++) {
      result.setDouble(i, values[i]);
    }
    return result;
  }

  /** The type {@link #decodeToArray} returns for raw data of {@code rawType}. */
  public static DataType unpackedType(DataType rawType, List<Attribute> attributes) {
    boolean doublePacking =
        attributes.stream()
            .filter(a -> a.name().equals("scale_factor") || a.name().equals("add_offset"))
            .anyMatch(a -> a.type() != DataType.FLOAT);
    boolean narrow =
        switch (rawType) {
          case BYTE, UBYTE, SHORT, USHORT, FLOAT -> true;
          default -> false;
        };
    return narrow && !doublePacking ? DataType.FLOAT : DataType.DOUBLE;
  }

  /** For each element, whether it equals {@code _FillValue} or a {@code missing_value}. */
  public static boolean[] missing(NdArray raw, List<Attribute> attributes) {
    requireNumeric(raw);
    Masker masker = Masker.of(raw.type(), attributes);
    boolean[] out = new boolean[raw.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = masker.isMissing(raw, i);
    }
    return out;
  }

  private static void requireNumeric(NdArray raw) {
    if (!raw.type().isNumeric()) {
      throw new IllegalArgumentException("cannot decode a " + raw.type() + " array as numbers");
    }
  }

  private static Optional<Number> number(List<Attribute> attributes, String name) {
    return attributes.stream()
        .filter(a -> a.name().equals(name))
        .findFirst()
        .map(Attribute::numericValue);
  }

  /** Compares elements with the fill and missing values in the element's own width. */
  private static final class Masker {
    private final DataType type;
    private final long mask;
    private final long[] bits;
    private final double[] floats;

    private Masker(DataType type, List<Number> values) {
      this.type = type;
      this.mask = type.size() >= 8 ? -1L : (1L << (8 * type.size())) - 1;
      this.bits = new long[values.size()];
      this.floats = new double[values.size()];
      for (int i = 0; i < bits.length; i++) {
        Number n = values.get(i);
        bits[i] = n.longValue() & mask;
        floats[i] = type == DataType.FLOAT ? n.floatValue() : n.doubleValue();
      }
    }

    static Masker of(DataType type, List<Attribute> attributes) {
      List<Number> values = new ArrayList<>();
      for (Attribute a : attributes) {
        if (a.name().equals("_FillValue") || a.name().equals("missing_value")) {
          for (Object v : a.values()) {
            if (v instanceof Number n) {
              values.add(n);
            }
          }
        }
      }
      return new Masker(type, values);
    }

    boolean isMissing(NdArray raw, int i) {
      if (bits.length == 0) {
        return false;
      }
      if (type.isFloatingPoint()) {
        double v = raw.getDouble(i);
        for (double f : floats) {
          if (v == f || (Double.isNaN(f) && Double.isNaN(v))) {
            return true;
          }
        }
        return false;
      }
      long v = raw.getLong(i) & mask;
      for (long b : bits) {
        if (v == b) {
          return true;
        }
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- strings

  /**
   * Joins the last dimension of a CHAR array into strings, like {@code netCDF4.chartostring}: each
   * string is decoded as UTF-8 (malformed bytes become U+FFFD) and loses its trailing NULs;
   * trailing spaces are kept. A rank-1 array gives a rank-0 array of one string.
   *
   * @throws IllegalArgumentException if the array is not CHAR (or BYTE/UBYTE) or has rank 0
   */
  public static NdArray charsToStrings(NdArray chars) {
    return charsToStrings(chars, StandardCharsets.UTF_8);
  }

  /** {@link #charsToStrings(NdArray)} with another character set. */
  public static NdArray charsToStrings(NdArray chars, Charset charset) {
    DataType t = chars.type();
    if (t != DataType.CHAR && t != DataType.BYTE && t != DataType.UBYTE) {
      throw new IllegalArgumentException("not a char array: " + t);
    }
    int[] shape = chars.shape();
    if (shape.length == 0) {
      throw new IllegalArgumentException("a rank-0 char array has no string-length dimension");
    }
    int len = shape[shape.length - 1];
    int[] outShape = Arrays.copyOf(shape, shape.length - 1);
    byte[] bytes = chars.toByteArray();
    String[] out = new String[sizeOf(outShape)];
    for (int s = 0; s < out.length; s++) {
      int start = s * len;
      int end = start + len;
      while (end > start && bytes[end - 1] == 0) {
        end--;
      }
      out[s] = new String(bytes, start, end - start, charset);
    }
    return NdArray.ofStrings(outShape, out);
  }

  private static int sizeOf(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  // ---------------------------------------------------------------- time

  /**
   * Parsed CF time units such as {@code "days since 1950-01-01 00:00:00 UTC"}: values count {@code
   * unit}s from {@code epoch}. Conversions use the proleptic Gregorian calendar and a resolution of
   * one microsecond (like cftime).
   */
  public record CfTimeUnits(ChronoUnit unit, Instant epoch) {
    public CfTimeUnits {
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(epoch, "epoch");
    }

    /**
     * The instant {@code value} units after the epoch, rounded to the microsecond.
     *
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     * @throws ArithmeticException if the instant is out of range
     */
    public Instant toInstant(double value) {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("time value " + value + " is not a finite number");
      }
      double whole = Math.floor(value);
      long wholeUnits = (long) whole;
      if (whole != wholeUnits) {
        throw new ArithmeticException("time value " + value + " " + unit + " is out of range");
      }
      Duration unitLength = unit.getDuration();
      long fracMicros = Math.round((value - whole) * (unitLength.toNanos() / 1000.0));
      try {
        return epoch.plus(unitLength.multipliedBy(wholeUnits)).plus(fracMicros, ChronoUnit.MICROS);
      } catch (DateTimeException e) {
        throw new ArithmeticException("time value " + value + " " + unit + " is out of range");
      }
    }

    /** The number of units from the epoch to {@code instant} (fractional when needed). */
    public double fromInstant(Instant instant) {
      Duration d = Duration.between(epoch, instant);
      Duration unitLength = unit.getDuration();
      if (unitLength.toSeconds() >= 1) {
        double unitSeconds = unitLength.toSeconds();
        return d.getSeconds() / unitSeconds + d.getNano() / (unitSeconds * 1e9);
      }
      double unitNanos = unitLength.toNanos();
      return d.getSeconds() * (1e9 / unitNanos) + d.getNano() / unitNanos;
    }
  }

  private static final Pattern TIME_UNITS =
      Pattern.compile(
          "\\s*(\\w+)\\s+(?:since|after|from)\\s+"
              + "(\\d{1,4})-(\\d{1,2})-(\\d{1,2})"
              + "(?:(?:T|\\s+)(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d*))?)?)?"
              + "\\s*(Z|UTC|GMT|[+-]\\d{1,2}(?::?\\d{2})?)?\\s*",
          Pattern.CASE_INSENSITIVE);

  private static final LocalDate GREGORIAN_REFORM = LocalDate.of(1582, 10, 15);

  /**
   * Parses CF time units with the standard calendar; see {@link #parseTimeUnits(String, String)}.
   */
  public static CfTimeUnits parseTimeUnits(String units) {
    return parseTimeUnits(units, null);
  }

  /**
   * Parses CF time units: {@code <unit> since <date>[( |T)<time>][ ][Z|UTC|GMT|±hh[[:]mm]]}, with
   * unit one of days, hours, minutes, seconds, milliseconds, microseconds, weeks (singular and
   * common abbreviations accepted) and single-digit date and time fields allowed ({@code 1992-1-1
   * 0:0:0}). A missing time is midnight, a missing zone is UTC.
   *
   * <p>{@code calendar} may be {@code null} or empty (meaning standard), {@code standard}, {@code
   * gregorian} or {@code proleptic_gregorian}. The standard (mixed Julian/Gregorian) calendar
   * equals the proleptic Gregorian one from 1582-10-15 on, so standard and gregorian are handled as
   * proleptic Gregorian and their epochs must not be earlier than 1582-10-15; times converted to
   * instants before that date are proleptic Gregorian too (cftime would use the Julian calendar).
   *
   * @throws IllegalArgumentException for malformed units, months or years as units (their length
   *     varies), an unsupported calendar (noleap, 365_day, all_leap, 366_day, 360_day, julian,
   *     none...), or a standard-calendar epoch before the Gregorian reform
   */
  public static CfTimeUnits parseTimeUnits(String units, String calendar) {
    String cal =
        calendar == null || calendar.isBlank()
            ? "standard"
            : calendar.trim().toLowerCase(Locale.ROOT);
    boolean proleptic =
        switch (cal) {
          case "standard", "gregorian" -> false;
          case "proleptic_gregorian" -> true;
          default ->
              throw new IllegalArgumentException(
                  "unsupported calendar '"
                      + calendar
                      + "': only standard, gregorian and proleptic_gregorian are supported");
        };
    if (units == null) {
      throw new IllegalArgumentException("time units are missing");
    }
    Matcher m = TIME_UNITS.matcher(units);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "malformed time units '" + units + "' (expected e.g. 'days since 1950-01-01 00:00:00')");
    }
    ChronoUnit unit = timeUnit(m.group(1), units);
    LocalDate date;
    LocalTime time;
    try {
      date =
          LocalDate.of(
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)));
      int nanos = 0;
      if (m.group(8) != null && !m.group(8).isEmpty()) {
        String frac = (m.group(8) + "000000000").substring(0, 9);
        nanos = Integer.parseInt(frac);
      }
      time =
          m.group(5) == null
              ? LocalTime.MIDNIGHT
              : LocalTime.of(
                  Integer.parseInt(m.group(5)),
                  Integer.parseInt(m.group(6)),
                  m.group(7) == null ? 0 : Integer.parseInt(m.group(7)),
                  nanos);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "invalid reference date in time units '" + units + "': " + e.getMessage(), e);
    }
    if (!proleptic && date.isBefore(GREGORIAN_REFORM)) {
      throw new IllegalArgumentException(
          "time units '"
              + units
              + "' with calendar "
              + cal
              + " start before 1582-10-15, where the mixed Julian/Gregorian calendar is not"
              + " supported; use calendar proleptic_gregorian if that is what the data means");
    }
    ZoneOffset zone = zone(m.group(9), units);
    return new CfTimeUnits(unit, LocalDateTime.of(date, time).toInstant(zone));
  }

  private static ChronoUnit timeUnit(String word, String units) {
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "days", "day", "d" -> ChronoUnit.DAYS;
      case "hours", "hour", "hr", "hrs", "h" -> ChronoUnit.HOURS;
      case "minutes", "minute", "min", "mins" -> ChronoUnit.MINUTES;
      case "seconds", "second", "sec", "secs", "s" -> ChronoUnit.SECONDS;
      case "milliseconds", "millisecond", "msec", "msecs", "ms" -> ChronoUnit.MILLIS;
      case "microseconds", "microsecond", "usec", "usecs", "us" -> ChronoUnit.MICROS;
      case "weeks", "week" -> ChronoUnit.WEEKS;
      case "months", "month", "years", "year", "yr", "yrs" ->
          throw new IllegalArgumentException(
              "time units '"
                  + units
                  + "': "
                  + word
                  + " have no fixed length and are not supported");
      default ->
          throw new IllegalArgumentException(
              "time units '" + units + "': unknown unit '" + word + "'");
    };
  }

  private static ZoneOffset zone(String text, String units) {
    if (text == null) {
      return ZoneOffset.UTC;
    }
    String z = text.toUpperCase(Locale.ROOT);
    if (z.equals("Z") || z.equals("UTC") || z.equals("GMT")) {
      return ZoneOffset.UTC;
    }
    int sign = z.charAt(0) == '-' ? -1 : 1;
    String digits = z.substring(1).replace(":", "");
    int hours;
    int minutes = 0;
    if (digits.length() <= 2) {
      hours = Integer.parseInt(digits);
    } else {
      hours = Integer.parseInt(digits.substring(0, digits.length() - 2));
      minutes = Integer.parseInt(digits.substring(digits.length() - 2));
    }
    try {
      return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "invalid time zone '" + text + "' in time units '" + units + "'", e);
    }
  }
}
