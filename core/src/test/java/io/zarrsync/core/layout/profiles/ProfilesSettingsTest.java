package io.zarrsync.core.layout.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.layout.Layouts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The profiles layout's config keys: defaults, and the error a user gets for each wrong value. */
class ProfilesSettingsTest {
  private static final String BASE =
      """
      name: t
      match: '.*'
      layout: profiles
      variables: [PRES]
      """;

  static ProfilesSettings settings(String extra) {
    CollectionConfig config = CollectionConfig.parse(BASE + extra, Path.of("c.yaml"));
    return ((ProfilesLayout) Layouts.create(config)).settings();
  }

  @Test
  void defaultsAreArgosRecordAndLevelsDims() {
    ProfilesSettings s = settings("identity: [PLATFORM_NUMBER]\n");
    assertThat(s.recordDim()).isEqualTo("N_PROF");
    assertThat(s.grow()).isEqualTo(Map.of("N_LEVELS", 0L));
    assertThat(s.identity()).containsExactly("PLATFORM_NUMBER");
    assertThat(s.rank()).isEmpty();
    assertThat(s.attributes()).isEmpty();
    assertThat(s.keyArray()).isEmpty();
    assertThat(s.positionArray()).isEmpty();
  }

  @Test
  void everyKeyIsRead() {
    ProfilesSettings s =
        settings(
            """
            record-dim: OBS
            grow: {DEPTH: {max: 50}, N_PARAM: {}}
            identity: [SHIP, CAST]
            rank:
              - {field: MODE, best-first: [D, A, R]}
              - {field: UPDATED}
            attributes: {title: casts, version: 2, flags: [1, 2]}
            provenance: {key: FROM, position: AT}
            """);
    assertThat(s.recordDim()).isEqualTo("OBS");
    assertThat(s.grow()).containsExactly(Map.entry("DEPTH", 50L), Map.entry("N_PARAM", 0L));
    assertThat(s.identity()).containsExactly("SHIP", "CAST");
    assertThat(s.rank())
        .containsExactly(
            new RankRule("MODE", List.of("D", "A", "R")), new RankRule("UPDATED", List.of()));
    assertThat(s.attributes())
        .containsEntry("title", "casts")
        .containsEntry("flags", List.of(1, 2));
    assertThat(s.keyArray()).contains("FROM");
    assertThat(s.positionArray()).contains("AT");
    assertThat(settings("identity: [X]\ngrow: [A, B]\n").grow())
        .isEqualTo(Map.of("A", 0L, "B", 0L));
    assertThat(settings("identity: [X]\ngrow: {}\n").grow()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          rank: []                                   | key 'identity': is required: list the per-profile variables that name a profile, e.g. [PLATFORM_NUMBER, CYCLE_NUMBER, DIRECTION]
          identity: []                               | key 'identity': must list at least one variable
          identity: [A, A]                           | key 'identity': lists A twice
          identity: {A: 1}                           | key 'identity': must be a list of names, not a mapping
          identity: [A]\\nidentiy: [B]               | key 'identiy': unknown key; did you mean 'identity'?
          identity: [A]\\nrecord-dim: ''             | key 'record-dim': must not be empty
          identity: [A]\\ngrow: N_LEVELS             | key 'grow': must be a list of dimension names or a mapping name: {max: n}, not a value
          identity: [A]\\ngrow: {N_LEVELS: 5}        | key 'grow.N_LEVELS': must be a mapping (key: value lines), not '5'
          identity: [A]\\ngrow: {N_LEVELS: {max: 0}} | key 'grow.N_LEVELS.max': must be a positive whole number, not '0'
          identity: [A]\\ngrow: {N_LEVELS: {mx: 9}}  | key 'grow.N_LEVELS.mx': unknown key; did you mean 'max'?
          identity: [A]\\ngrow: [N_PROF]             | key 'grow': N_PROF is the record dimension; it grows with every new profile anyway
          identity: [A]\\nrank: DATA_MODE            | key 'rank': must be a list of mappings, not 'DATA_MODE'
          identity: [A]\\nrank: [DATA_MODE]          | key 'rank': item 1 must be a mapping, not 'DATA_MODE'
          identity: [A]\\nrank: [{best-first: [D]}]  | key 'rank[0].field': is required
          identity: [A]\\nrank: [{field: M, best-first: []}] | key 'rank[0].best-first': must list at least one value, best first
          identity: [A]\\nrank: [{field: M, best-first: [D, D]}] | key 'rank[0].best-first': lists D twice
          identity: [A]\\nrank: [{field: M, bestfirst: [D]}] | key 'rank[0].bestfirst': unknown key; did you mean 'best-first'?
          identity: [A]\\nattributes: {a: {b: 1}}   | key 'attributes.a': must be text, a number or a list of them, not a mapping
          identity: [A]\\nprovenance: {}             | key 'provenance': names no array; give key, position or both
          identity: [A]\\nprovenance: {key: P, position: P} | key 'provenance.position': 'P' is already the key array's name
          identity: [A]\\nprovenance: {key: PRES}    | key 'provenance.key': 'PRES' is also listed under variables; pick a name no stored variable has
          """)
  void wrongValuesAreRejectedNamingFileAndKey(String yaml, String message) {
    assertThatThrownBy(() -> settings(yaml.replace("\\n", "\n") + "\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("c.yaml: " + message);
  }
}
