package io.zarrsync.core.layout.profiles;

import java.util.List;
import java.util.Objects;

/**
 * One rule of a profile's version rank: the value of {@code field} for the profile (or for its
 * file, when the variable has no record dimension). With {@code bestFirst}, the value's place in
 * that list decides (values not listed, and blank ones, rank below every listed value); without it,
 * values compare as text (numbers numerically), blank lowest.
 *
 * @param field the NetCDF variable read
 * @param bestFirst the known values from best to worst, or empty to compare the values themselves
 */
record RankRule(String field, List<String> bestFirst) {
  RankRule {
    Objects.requireNonNull(field, "field");
    bestFirst = List.copyOf(bestFirst);
  }

  /**
   * The rank component of a field value ({@code null} when blank): for an ordered rule, {@code size
   * - 1 - index} (-1 for unlisted or blank values); otherwise the text, or the number for a numeric
   * field ({@code ""} and negative infinity for blanks, so they sort first).
   */
  Object component(Object value, boolean numericField) {
    if (!bestFirst.isEmpty()) {
      int i = value == null ? -1 : bestFirst.indexOf(FieldValues.text(value));
      return i < 0 ? -1L : (long) (bestFirst.size() - 1 - i);
    }
    if (value == null) {
      return numericField ? (Object) Long.MIN_VALUE : "";
    }
    return value;
  }
}
