package io.zarrsync.core.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zarrsync.core.SyncReport;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/synthetic-argo.yaml on what {@code gen_synthetic.py argo} writes: every profile once,
 * the D file of every {@code --dmode}-th cycle shown instead of its R file, values equal to the
 * winning file in xarray.
 */
class SyntheticArgoTest {
  @TempDir Path tmp;

  @Test
  void theSyntheticExampleSyncsEveryGeneratedProfileWithItsDelayedVersionWhereThereIsOne()
      throws Exception {
    Path generator =
        TestEnvironment.sharedData().getParent().resolve("tools").resolve("gen_synthetic.py");
    TestEnvironment.require(Files.isRegularFile(generator), generator + " is missing");
    TestEnvironment.requirePython();
    Path src = tmp.resolve("argo");
    TestEnvironment.Result gen =
        TestEnvironment.run(
            List.of(
                TestEnvironment.PYTHON,
                generator.toString(),
                "argo",
                src.toString(),
                "--floats",
                "3",
                "--cycles",
                "4",
                "--dmode",
                "2"),
            null,
            300);
    assertThat(gen.exitCode()).as(gen.stderr()).isZero();
    CollectionConfig config =
        CollectionConfig.load(ArgoCoreLayoutTest.examples().resolve("synthetic-argo.yaml"));
    List<String> keys = ArgoCoreLayoutTest.keys(src);
    assertThat(keys).hasSize(3 * 4 + 3 * 2).allMatch(config::matches);
    Path store = tmp.resolve("synthetic.zarr");

    SyncReport report = ArgoAcceptanceTest.sync(config, src, store);
    assertThat(report.quarantined()).isEmpty();
    assertThat(report.added()).isEqualTo(18);
    assertThat(report.records()).isEqualTo(12);
    Map<String, String> shown = ProfileStore.read(store).shownKeys();
    assertThat(shown).hasSize(12);
    for (int f = 1; f <= 3; f++) {
      for (int c = 1; c <= 4; c++) {
        String name = String.format("%s590000%d_%03d.nc#0", c % 2 == 0 ? "D" : "R", f, c);
        assertThat(shown).containsEntry(String.format("590000%d/%d/A/0", f, c), name);
      }
    }
    JsonNode check = ArgoAcceptanceTest.check(store, src, keys);
    assertThat(check.get("errors")).isEmpty();
    assertThat(check.get("shown").asInt()).isEqualTo(12);
  }
}
