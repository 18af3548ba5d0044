package io.zarrsync.core.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.SyncReport;
import io.zarrsync.core.VerifyReport;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.testing.TestEnvironment;
import io.zarrsync.zarr.store.FileSystemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 1 for Argo: {@code sync} of examples/argo-core.yaml over a copy of the real Argo files
 * gives a store that xarray opens, with every profile once, its best-ranked version, values equal
 * to the winning file over its levels and missing beyond; after the R files that have a D file are
 * deleted from the copy (as the data centres do), a second sync leaves exactly the D profiles.
 *
 * <p>The expected winners are computed in Python from the files with netCDF4 (DATA_MODE D > A > R,
 * then DATE_UPDATE, then the greater key), and every row is compared with {@code
 * xarray.open_dataset} of its winning file.
 */
class ArgoAcceptanceTest {
  static final String CHECK =
      """
      import json, os, sys, warnings
      import numpy as np, pandas as pd, xarray as xr, netCDF4
      warnings.simplefilter("ignore")
      store, root, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
      ORDER = {"D": 2, "A": 1, "R": 0}

      best = {}
      for k in keys:
          with netCDF4.Dataset(os.path.join(root, k)) as d:
              d.set_auto_mask(False)
              n = d.dimensions["N_PROF"].size
              pn = [s.strip() for s in netCDF4.chartostring(d["PLATFORM_NUMBER"][:], encoding="latin-1")]
              cy = d["CYCLE_NUMBER"][:]
              di = [x.decode("latin-1").strip() for x in d["DIRECTION"][:]]
              dm = [x.decode("latin-1").strip() for x in d["DATA_MODE"][:]]
              du = (str(netCDF4.chartostring(d["DATE_UPDATE"][:], encoding="latin-1")).strip()
                    if "DATE_UPDATE" in d.variables else "")
              for p in range(n):
                  if pn[p] and cy[p] != 99999 and di[p]:
                      ident = "%s/%d/%s/%d" % (pn[p], cy[p], di[p], p)
                  else:
                      ident = "file:%s#%d" % (k, p)
                  cand = ((ORDER.get(dm[p], -1), du), k, p)
                  if ident not in best or cand[:2] > best[ident][:2]:
                      best[ident] = cand

      z = xr.open_zarr(store).load()
      errors, shown, blank, seen = [], 0, 0, set()
      variables = [v for v in z.data_vars if not v.startswith("SOURCE_")]
      files = {}

      def same(a, b):
          a, b = np.asarray(a).ravel(), np.asarray(b).ravel()
          if a.shape != b.shape:
              return False
          na, nb = pd.isnull(a), pd.isnull(b)
          return bool((na == nb).all() and (a[~na] == b[~nb]).all())

      for row in range(z.sizes["N_PROF"]):
          key = z.SOURCE_KEY.values[row]
          if pd.isnull(key) or key == b"":
              blank += 1
              continue
          shown += 1
          key, pos = key.decode(), int(z.SOURCE_POSITION.values[row])
          pn = z.PLATFORM_NUMBER.values[row].decode("latin-1").strip()
          ident = "%s/%d/%s/%d" % (pn, int(z.CYCLE_NUMBER.values[row]),
                                   z.DIRECTION.values[row].decode().strip(), pos)
          if ident in seen:
              errors.append("identity %s shown twice" % ident)
          seen.add(ident)
          if ident not in best:
              errors.append("row %d shows %s, which no live file has" % (row, ident))
              continue
          if best[ident][1:] != (key, pos):
              errors.append("%s: row shows %s#%d, best is %s#%d" % ((ident, key, pos) + best[ident][1:]))
              continue
          if key not in files:
              files[key] = xr.open_dataset(os.path.join(root, key)).load()
          ds = files[key]
          for v in variables:
              a = z[v].isel(N_PROF=row).values
              b = ds[v].isel(N_PROF=pos).values if "N_PROF" in ds[v].dims else ds[v].values
              if "N_LEVELS" in z[v].dims:
                  n = ds.sizes["N_LEVELS"]
                  if not same(a[:n], b):
                      errors.append("%s %s: values differ from %s" % (ident, v, key))
                  if not pd.isnull(a[n:]).all():
                      errors.append("%s %s: padding beyond level %d is not missing" % (ident, v, n))
              elif not same(a, b):
                  errors.append("%s %s: %r != %r (%s)" % (ident, v, a, b, key))
      missing = sorted(set(best) - seen)
      for ident in missing[:20]:
          errors.append("identity %s is not shown" % ident)
      print(json.dumps({"shown": shown, "blank": blank, "expected": len(best),
                        "levels": z.sizes["N_LEVELS"], "errors": errors[:40],
                        "dataMode": str(z.DATA_MODE.dtype), "dims": list(z.DATA_MODE.dims),
                        "juld": str(z.JULD.dtype)}))
      """;

  @TempDir Path tmp;

  @Test
  void syncOfTheArgoCopyEqualsTheFilesAndDeletingSupersededRealTimeFilesLeavesTheDelayedOnes()
      throws IOException {
    Path data = TestEnvironment.sharedData().resolve("argo");
    TestEnvironment.requirePython();
    Path copy = tmp.resolve("argo");
    copyTree(data, copy);
    CollectionConfig config =
        CollectionConfig.load(ArgoCoreLayoutTest.examples().resolve("argo-core.yaml"));
    Path store = tmp.resolve("argo-core.zarr");
    List<String> all = ArgoCoreLayoutTest.keys(copy);
    List<String> core = all.stream().filter(config::matches).toList();

    SyncReport first = sync(config, copy, store);
    assertThat(first.quarantined()).isEmpty();
    assertThat(first.added()).isEqualTo(core.size()).isEqualTo(138);
    assertThat(first.unmatchedKeys())
        .containsExactlyInAnyOrderElementsOf(all.stream().filter(k -> !config.matches(k)).toList());
    assertThat(first.records()).isEqualTo(88);
    JsonNode before = check(store, copy, core);
    assertThat(before.get("errors")).isEmpty();
    assertThat(before.get("shown").asInt()).isEqualTo(88);
    assertThat(before.get("expected").asInt()).isEqualTo(88);
    assertThat(before.get("blank").asInt()).isZero();
    assertThat(before.get("levels").asInt()).isEqualTo(1176);
    assertThat(before.get("dataMode").asText()).isEqualTo("object");
    assertThat(before.get("dims").toString()).isEqualTo("[\"N_PROF\"]");
    assertThat(before.get("juld").asText()).startsWith("datetime64");

    List<String> superseded = new ArrayList<>();
    for (String k : core) {
      Path p = Path.of(k);
      String name = p.getFileName().toString();
      if (name.startsWith("R")
          && core.contains(k.substring(0, k.length() - name.length()) + "D" + name.substring(1))) {
        superseded.add(k);
        Files.delete(copy.resolve(k));
      }
    }
    assertThat(superseded).hasSize(61);
    SyncReport second = sync(config, copy, store);
    assertThat(second.removed()).isEqualTo(61);
    assertThat(second.quarantined()).isEmpty();
    assertThat(second.rowsWritten()).isZero();
    assertThat(second.rowsBlanked()).isZero();
    assertThat(second.chunksWritten()).isZero();
    List<String> live = core.stream().filter(k -> !superseded.contains(k)).toList();
    JsonNode after = check(store, copy, live);
    assertThat(after.get("errors")).isEmpty();
    assertThat(after.get("shown").asInt()).isEqualTo(88);

    ProfileStore st = ProfileStore.read(store);
    for (String k : superseded) {
      String d = k.replace("/R", "/D");
      assertThat(st.shownKeys()).containsValue(d + "#0").doesNotContainValue(k + "#0");
    }
    assertThat(sync(config, copy, store).unchangedStore()).isTrue();
    VerifyReport verify = verify(config, copy, store);
    assertThat(verify.drifts()).isEmpty();
    assertThat(verify.checkedRecords()).isEqualTo(88);
  }

  static VerifyReport verify(CollectionConfig config, Path source, Path store) {
    try (SyncEngine e =
        SyncEngine.open(
            config,
            new LocalDirectorySource(source),
            new FileSystemStore(store),
            EngineOptions.defaults())) {
      return e.verify(ProgressListener.NONE);
    }
  }

  static SyncReport sync(CollectionConfig config, Path source, Path store) {
    try (SyncEngine e =
        SyncEngine.open(
            config,
            new LocalDirectorySource(source),
            new FileSystemStore(store),
            EngineOptions.defaults())) {
      return e.sync(ProgressListener.NONE);
    }
  }

  static JsonNode check(Path store, Path root, List<String> keys) throws IOException {
    List<String> args = new ArrayList<>(List.of(store.toString(), root.toString()));
    args.addAll(keys);
    String out = TestEnvironment.python(CHECK, args, 600);
    return new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
  }

  static void copyTree(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
