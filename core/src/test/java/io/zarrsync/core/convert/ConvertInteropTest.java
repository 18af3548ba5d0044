package io.zarrsync.core.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.testing.TestEnvironment;
import io.zarrsync.zarr.store.FileSystemStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance check of {@code convert}: for every real NetCDF file of the shared data set, {@code
 * xarray.open_zarr} of the converted store is identical (values, dims, coords, attributes) to
 * {@code xarray.open_dataset} of the file.
 */
class ConvertInteropTest {
  private static final String CHECK =
      """
      import json, sys, warnings
      import xarray as xr
      warnings.simplefilter("ignore")
      out = {}
      pairs = sys.argv[1:]
      for i in range(0, len(pairs), 2):
          nc, store = pairs[i], pairs[i + 1]
          try:
              a = xr.open_dataset(nc).load()
              b = xr.open_zarr(store).load()
              xr.testing.assert_identical(a, b)
              out[nc] = "ok"
          except Exception as e:
              out[nc] = type(e).__name__ + ": " + str(e)[:3000]
      print(json.dumps(out))
      """;

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> everySharedFileConvertsToAnIdenticalXarrayDataset() throws Exception {
    // -Dzarrsync.interop.only=REGEX narrows a local run to matching paths; CI checks every file.
    String only = System.getProperty("zarrsync.interop.only", "");
    List<Path> files =
        TestEnvironment.sharedNetcdfFiles().stream()
            .filter(f -> only.isEmpty() || f.toString().matches(".*(" + only + ").*"))
            .toList();
    TestEnvironment.requirePython();
    assertThat(files).isNotEmpty();
    List<String> args = new ArrayList<>();
    Converter converter = new Converter(ConvertOptions.defaults());
    int i = 0;
    for (Path f : files) {
      Path store = tmp.resolve("s" + i++ + ".zarr");
      converter.convert(List.of(f), new FileSystemStore(store), Converter.Listener.NONE);
      args.add(f.toString());
      args.add(store.toString());
    }
    JsonNode result = new ObjectMapper().readTree(TestEnvironment.python(CHECK, args, 900));
    Path data = TestEnvironment.sharedData();
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    data.relativize(f).toString(),
                    () -> assertThat(result.path(f.toString()).asText("missing")).isEqualTo("ok")));
  }
}
