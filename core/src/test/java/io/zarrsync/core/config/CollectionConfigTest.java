package io.zarrsync.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.DataType;
import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.zarr.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionConfigTest {
  @TempDir Path tmp;

  static final String GOOD =
      String.join(
          "\n",
          "name: sst",
          "match: 'sst/.*\\.nc'",
          "source: data",
          "store: /stores/sst.zarr",
          "layout: grid",
          "axis: {dim: time, step: P1D, origin: 1981-01-01T00:00:00Z}",
          "chunks: {time: 1, lat: 500}",
          "variables:",
          "  analysed_sst:",
          "  mask: {dtype: float32, fill: NaN}",
          "compressor: {id: zlib, level: 4}",
          "unknown-variables: reject",
          "");

  private Path write(String yaml) throws Exception {
    Path p = tmp.resolve("c.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  private void rejects(String yaml, String... messageParts) throws Exception {
    Path p = write(yaml);
    assertThatThrownBy(() -> CollectionConfig.load(p))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(p.toString())
        .hasMessageContainingAll(messageParts);
  }

  @Test
  void aCompleteConfigLoads() throws Exception {
    Path p = write(GOOD);
    CollectionConfig c = CollectionConfig.load(p);
    assertThat(c.name()).isEqualTo("sst");
    assertThat(c.matches("sst/a.nc")).isTrue();
    assertThat(c.matches("x/sst/a.nc")).as("the regex must match the whole key").isFalse();
    assertThat(c.chunks()).containsEntry("lat", 500);
    assertThat(c.variables())
        .extracting(VariableConfig::name)
        .containsExactly("analysed_sst", "mask");
    assertThat(c.variable("mask").orElseThrow().dtype()).isEqualTo(DataType.FLOAT);
    assertThat((Double) c.variable("mask").orElseThrow().fill()).isNaN();
    assertThat(c.compressor()).isEqualTo(Codec.zlib(4));
    assertThat(c.unknownVariables()).isEqualTo(UnknownVariables.REJECT);
    assertThat(c.localPath(c.source())).contains(tmp.resolve("data"));
    assertThat(c.localPath(c.store())).contains(Path.of("/stores/sst.zarr"));
    assertThat(c.localPath("s3://bucket/x")).isEmpty();
    assertThat(c.layoutSettings()).containsKey("axis").doesNotContainKey("name");
  }

  @Test
  void unknownKeysAreRejectedWithASuggestion() throws Exception {
    rejects(
        GOOD.replace("chunks:", "chunk:"), "key 'chunk'", "unknown key", "did you mean 'chunks'?");
    rejects(GOOD.replace("axis: {dim", "axis: {dims"), "key 'axis.dims'", "did you mean 'dim'?");
    rejects(
        GOOD.replace("mask: {dtype", "mask: {dtyp"),
        "key 'variables.mask.dtyp'",
        "did you mean 'dtype'?");
  }

  @Test
  void wrongValuesNameTheKeyAndWhatIsAllowed() throws Exception {
    rejects(
        GOOD.replace("layout: grid", "layout: gird"),
        "key 'layout'",
        "use one of grid",
        "did you mean 'grid'?");
    rejects(GOOD.replace("step: P1D", "step: P1X"), "key 'axis.step'", "ISO-8601 duration");
    rejects(GOOD.replace("step: P1D", "step: PT0S"), "key 'axis.step'", "must be positive");
    rejects(
        GOOD.replace("origin: 1981-01-01T00:00:00Z", "origin: yesterday"),
        "key 'axis.origin'",
        "ISO-8601 instant");
    rejects(
        GOOD.replace("dtype: float32", "dtype: f4"),
        "key 'variables.mask.dtype'",
        "use one of int8");
    rejects(
        GOOD.replace("level: 4", "level: 12"), "key 'compressor.level'", "zlib levels are 1 to 9");
    rejects(GOOD.replace("id: zlib", "id: gzip"), "key 'compressor.id'", "zstd, zlib, none");
    rejects(GOOD.replace("lat: 500", "lat: 0"), "key 'chunks.lat'", "positive whole number");
    rejects(
        GOOD.replace("match: 'sst/.*\\.nc'", "match: 'sst/(.nc'"),
        "key 'match'",
        "not a valid regular expression");
    rejects(GOOD.replace("name: sst", "name: my sst"), "key 'name'", "letters, digits");
    rejects(
        GOOD.replace("unknown-variables: reject", "unknown-variables: drop"),
        "key 'unknown-variables'",
        "ignore, reject");
    rejects(
        GOOD.replace("format", "x").replace("layout: grid", "layout: grid\nformat: v3"),
        "key 'format'",
        "not supported yet");
  }

  @Test
  void requiredKeysAreNamed() throws Exception {
    rejects(GOOD.replace("name: sst\n", ""), "key 'name'", "is required");
    rejects(
        GOOD.replace("axis: {dim: time, step: P1D, origin: 1981-01-01T00:00:00Z}\n", ""),
        "key 'axis'",
        "required by layout grid");
    rejects(GOOD.replace("step: P1D, ", ""), "key 'axis.step'", "is required");
    rejects(
        GOOD.substring(0, GOOD.indexOf("variables:")) + "compressor: {id: none}\n",
        "key 'variables'",
        "is required");
  }

  @Test
  void theAxisVariableIsNotAConfiguredVariable() throws Exception {
    rejects(GOOD.replace("  analysed_sst:", "  time:"), "key 'variables'", "axis variable 'time'");
  }

  @Test
  void brokenYamlAndMissingFilesAreConfigErrors() throws Exception {
    rejects("name: [unclosed", "not valid YAML");
    assertThatThrownBy(() -> CollectionConfig.load(tmp.resolve("none.yaml")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("no such config file");
  }

  @Test
  void didYouMeanOnlySuggestsCloseWords() {
    assertThat(DidYouMean.suffix("chunk", java.util.List.of("chunks", "name")))
        .contains("'chunks'");
    assertThat(DidYouMean.suffix("zzzzzz", java.util.List.of("chunks", "name"))).isEmpty();
  }
}
