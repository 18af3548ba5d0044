package io.zarrsync.cli;

import static io.zarrsync.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.write.Nc3Writer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, exit codes, one-line errors, JSON. */
class CliTest {
  @TempDir Path tmp;

  private Path smallFile(String name, int records) {
    NdArray time = NdArray.allocate(DataType.DOUBLE, records);
    NdArray v = NdArray.allocate(DataType.SHORT, records, 3);
    for (int i = 0; i < records; i++) {
      time.setDouble(i, i);
      for (int j = 0; j < 3; j++) {
        v.setLong(i * 3 + j, i * 10 + j);
      }
    }
    Path p = tmp.resolve(name);
    new Nc3Writer()
        .unlimitedDimension("time")
        .dimension("x", 3)
        .globalAttribute("title", "cli test")
        .variable(
            "time",
            DataType.DOUBLE,
            List.of("time"),
            Map.of("units", "days since 2000-01-01"),
            time)
        .variable("v", DataType.SHORT, List.of("time", "x"), Map.of("_FillValue", (short) -1), v)
        .write(p);
    return p;
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "sync", "apply", "status", "log", "verify", "quarantine", "demo", "inspect", "convert")
        .contains("Exit codes");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(run("inspect", "--bogus").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void inspectPrintsCdlAndJson() throws IOException {
    Path f = smallFile("a.nc", 2);
    Run text = run("inspect", f.toString());
    assertThat(text.code()).isZero();
    assertThat(text.out())
        .contains(
            "time = UNLIMITED ; // (2 currently)", "short v(time, x) ;", "v:_FillValue = -1s ;")
        .contains(":title = \"cli test\" ;");
    Run json = run("inspect", "--json", f.toString());
    JsonNode n = new ObjectMapper().readTree(json.out());
    assertThat(n.path("format").asText()).isEqualTo("classic");
    assertThat(n.path("variables").get(1).path("shape").toString()).isEqualTo("[2,3]");
    assertThat(n.path("attributes").path("title").asText()).isEqualTo("cli test");
  }

  @Test
  void badInputGivesOneLineNamingTheFileAndExitCode3() throws IOException {
    Path empty = Files.createFile(tmp.resolve("empty.nc"));
    Path junk = tmp.resolve("junk.nc");
    Files.write(junk, "this is not netcdf at all".getBytes(StandardCharsets.UTF_8));
    Path good = smallFile("good.nc", 2);
    Path truncated = tmp.resolve("truncated.nc");
    byte[] bytes = Files.readAllBytes(good);
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    for (Path bad : List.of(empty, junk, truncated, tmp.resolve("missing.nc"))) {
      Run r = run("inspect", bad.toString());
      assertThat(r.code()).as(bad.toString()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).startsWith("zarrsync: error: ").contains(bad.toString());
      Path store = tmp.resolve("out-" + bad.getFileName() + ".zarr");
      Run c = run("convert", good.toString(), bad.toString(), "--to", store.toString());
      assertThat(c.code()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(c.err()).contains(bad.toString());
      assertThat(store).as("nothing written for " + bad).doesNotExist();
    }
    Run debug = run("inspect", "--debug", junk.toString());
    assertThat(debug.err()).contains("InvalidNetcdfFileException").contains("\tat ");
  }

  @Test
  void convertConcatenatesAlongTheUnlimitedDimension() throws IOException {
    Path a = smallFile("a.nc", 2);
    Path b = smallFile("b.nc", 3);
    Path store = tmp.resolve("s.zarr");
    Run r =
        run(
            "convert",
            a.toString(),
            b.toString(),
            "--to",
            store.toString(),
            "--json",
            "--chunks",
            "time=2");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertThat(n.path("files").asInt()).isEqualTo(2);
    assertThat(n.path("appendDimension").asText()).isEqualTo("time");
    String zarray = Files.readString(store.resolve("v/.zarray"));
    assertThat(zarray.replaceAll("\\s", ""))
        .contains("\"shape\":[5,3]")
        .contains("\"chunks\":[2,3]");
    assertThat(store.resolve(".zmetadata")).exists();
    Run again = run("convert", a.toString(), "--to", store.toString());
    assertThat(again.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(again.err()).contains("--overwrite");
  }

  @Test
  void demoWalksThroughAndEndsClean() throws IOException {
    Path dir = tmp.resolve("demo");
    Run r = run("demo", "--dir", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("no commit").contains("clean: 3 record(s)");
    Path config = dir.resolve("demo-sst.yaml");
    Run status = run("status", "--json", "-c", config.toString());
    assertThat(status.code()).isZero();
    JsonNode s = new ObjectMapper().readTree(status.out());
    assertThat(s.path("shown").asLong()).isEqualTo(3);
    Run sync = run("sync", "-c", config.toString());
    assertThat(sync.code()).isZero();
    assertThat(sync.out()).contains("store unchanged (no commit)");
    Run verify = run("verify", "-c", config.toString());
    assertThat(verify.code()).isZero();
    Run log = run("log", "--json", "-c", config.toString());
    assertThat(new ObjectMapper().readTree(log.out()).size()).isEqualTo(4);
  }

  @Test
  void applyAcceptsPathsUnderTheSourceRootAndQuarantinesBadFiles() throws IOException {
    Path dir = tmp.resolve("demo");
    assertThat(run("demo", "--dir", dir.toString()).code()).isZero();
    Path config = dir.resolve("demo-sst.yaml");
    Path bad = dir.resolve("source/sst/20240110.nc");
    Files.write(bad, "garbage".getBytes(StandardCharsets.UTF_8));
    Run r = run("apply", "-c", config.toString(), "--created", bad.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.PROBLEMS_FOUND);
    assertThat(r.err()).contains("quarantined sst/20240110.nc");
    Run q = run("quarantine", "-c", config.toString());
    assertThat(q.code()).isEqualTo(ExitCodes.PROBLEMS_FOUND);
    assertThat(q.out()).contains("sst/20240110.nc");
    try (Stream<Path> s = Files.list(dir.resolve("demo-sst.zarr"))) {
      assertThat(s.map(p -> p.getFileName().toString())).contains(".zmetadata", "analysed_sst");
    }
    Run outside =
        run(
            "apply",
            "-c",
            config.toString(),
            "--created",
            tmp.resolve("x.nc").toAbsolutePath().toString());
    assertThat(outside.code()).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void missingConfigIsAConfigError() {
    Run r = run("sync", "-c", tmp.resolve("nope.yaml").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(r.err()).contains("nope.yaml");
  }
}
