package io.zarrsync.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.write.Nc3Writer;
import io.zarrsync.zarr.ArrayMetadata;
import io.zarrsync.zarr.Codec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariableMappingTest {
  @TempDir Path tmp;

  /** An Argo-like header: string dims, per-profile chars, and the N_PARAM trap. */
  private Path argoLike() {
    return write(
        new Nc3Writer()
            .dimension("N_PROF", 2)
            .dimension("N_PARAM", 3)
            .dimension("N_LEVELS", 4)
            .dimension("STRING8", 8)
            .dimension("STRING16", 16),
        "argo.nc",
        List.of(
            new V("PLATFORM_NUMBER", DataType.CHAR, List.of("N_PROF", "STRING8"), 2, 8),
            new V("DATA_MODE", DataType.CHAR, List.of("N_PROF"), 2),
            new V(
                "STATION_PARAMETERS",
                DataType.CHAR,
                List.of("N_PROF", "N_PARAM", "STRING16"),
                2,
                3,
                16),
            new V("PARAMETER_DATA_MODE", DataType.CHAR, List.of("N_PROF", "N_PARAM"), 2, 3),
            new V("PRES_QC", DataType.CHAR, List.of("N_PROF", "N_LEVELS"), 2, 4),
            new V("PRES", DataType.FLOAT, List.of("N_PROF", "N_LEVELS"), 2, 4)));
  }

  private record V(String name, DataType type, List<String> dims, int... shape) {}

  private Path write(Nc3Writer w, String name, List<V> vars) {
    for (V v : vars) {
      w.variable(v.name(), v.type(), v.dims(), Map.of(), NdArray.allocate(v.type(), v.shape()));
    }
    Path p = tmp.resolve(name);
    w.write(p);
    return p;
  }

  @Test
  void foldsOnlyWhatXarrayWouldFoldAndKeepsItThatWayInTheStore() {
    try (NetcdfFile f = NetcdfFiles.open(argoLike())) {
      // STRING8 folds; DATA_MODE and PRES_QC stay per element (N_PROF / N_LEVELS are used by
      // numbers or as inner dims). STATION_PARAMETERS must keep STRING16: folding it would leave
      // N_PARAM used only by char variables as their last dim, and xarray would then fold
      // PARAMETER_DATA_MODE when reading the store, which it does not do for the file.
      assertThat(VariableMapping.foldedCharVariables(f)).containsExactly("PLATFORM_NUMBER");
    }
  }

  @Test
  void metadataOfFoldedAndUnfoldedCharVariables() {
    try (NetcdfFile f = NetcdfFiles.open(argoLike())) {
      ArrayMetadata folded =
          VariableMapping.metadata(
              f.findVariable("PLATFORM_NUMBER").orElseThrow(),
              true,
              List.of(2L),
              List.of(2),
              Codec.none());
      assertThat(folded.stringLength()).isEqualTo(8);
      assertThat(folded.dimensions()).containsExactly("N_PROF");
      ArrayMetadata kept =
          VariableMapping.metadata(
              f.findVariable("STATION_PARAMETERS").orElseThrow(),
              false,
              List.of(2L, 3L, 16L),
              List.of(2, 3, 16),
              Codec.none());
      assertThat(kept.stringLength()).isZero();
      assertThat(kept.dimensions()).containsExactly("N_PROF", "N_PARAM", "STRING16");
    }
  }

  @Test
  void unsignedFillValuesAreReadAsUnsigned() {
    assertThat(VariableMapping.asType((byte) -1, DataType.UBYTE)).isEqualTo(255L);
    assertThat(VariableMapping.asType((short) -1, DataType.USHORT)).isEqualTo(65535L);
    assertThat(VariableMapping.asType(-1, DataType.UINT)).isEqualTo(4294967295L);
    assertThat(VariableMapping.asType(-32768, DataType.SHORT)).isEqualTo(-32768L);
    assertThat(VariableMapping.asType(9.96921e36f, DataType.FLOAT)).isEqualTo(9.96921e36f);
  }
}
