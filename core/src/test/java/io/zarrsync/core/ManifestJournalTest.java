package io.zarrsync.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zarrsync.api.StoreException;
import io.zarrsync.core.manifest.Manifest;
import io.zarrsync.core.manifest.ManifestCodec;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.core.txn.CommitLog;
import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.zarr.store.MemoryStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest as a checkpoint plus per-commit deltas: what is written, that reading it back gives
 * the manifest of a fresh sync, when a new checkpoint replaces the deltas, and damaged journals.
 */
class ManifestJournalTest {
  @TempDir static Path pool;
  @TempDir Path tmp;
  static List<Path> days;

  @BeforeAll
  static void generate() {
    days = Fixtures.sst(pool, DAYS + 1, 20, 30, true);
  }

  /** Days synced first: enough that a day's delta is small against the checkpoint. */
  private static final int DAYS = 30;

  /** Syncs days 0..DAYS-1. */
  private static void syncDays(Scenario s) {
    for (int i = 0; i < DAYS; i++) {
      s.put(days.get(i), Fixtures.sstName(i));
    }
    s.sync();
  }

  private static Manifest read(MemoryStore store) {
    return new CommitLog(store).readManifest().orElseThrow();
  }

  /** The checkpoint alone, without its deltas. */
  private static Manifest checkpoint(MemoryStore store) {
    return ManifestCodec.decode(store.get(TxnKeys.MANIFEST).orElseThrow(), "checkpoint");
  }

  private static List<Long> deltaSeqs(MemoryStore store) {
    return store.list(TxnKeys.MANIFEST_DELTAS).stream().map(TxnKeys::deltaSeqOf).toList();
  }

  /** Same entries and schema as the manifest a fresh sync of the same source writes. */
  private static void assertSameAsFreshSync(Scenario s) {
    MemoryStore fresh = new MemoryStore();
    try (SyncEngine e =
        SyncEngine.open(s.config, new LocalDirectorySource(s.source), fresh, s.options)) {
      e.sync(ProgressListener.NONE);
    }
    Manifest expected = read(fresh);
    Manifest actual = read((MemoryStore) s.store);
    assertThat(actual.identities()).isEqualTo(expected.identities());
    assertThat(actual.files()).isEqualTo(expected.files());
    assertThat(actual.quarantine()).isEqualTo(expected.quarantine());
    assertThat(actual.schema()).isEqualTo(expected.schema());
  }

  @Test
  void theFirstCommitWritesACheckpointAndEachLaterCommitADeltaThatReadsBackExactly() {
    MemoryStore store = new MemoryStore();
    try (Scenario s = new Scenario(tmp.resolve("src"), store, Fixtures.sstConfig(), serial())) {
      syncDays(s);
      assertThat(checkpoint(store).seq()).isEqualTo(1);
      assertThat(deltaSeqs(store)).isEmpty();

      s.put(days.get(1), Fixtures.sstName(1)).created(Fixtures.sstName(1)); // a new version
      s.remove(Fixtures.sstName(2)).removed(Fixtures.sstName(2));
      s.removed("never-ingested.nc"); // no commit
      s.put(days.get(DAYS), Fixtures.sstName(DAYS)).created(Fixtures.sstName(DAYS)); // appended
      s.put(days.get(2), Fixtures.sstName(2)).created(Fixtures.sstName(2)); // back again

      assertThat(checkpoint(store).seq()).isEqualTo(1);
      assertThat(deltaSeqs(store)).containsExactly(2L, 3L, 4L, 5L);
      Manifest m = read(store);
      assertThat(m.seq()).isEqualTo(5);
      assertThat(m.files()).hasSize(DAYS + 1);
      assertThat(m.journal().deltas()).isEqualTo(4);
      // a delta holds only what its commit changed: the removal names the removed file only, and
      // only the append changes the schema (the length of time)
      String removal = new String(store.get(TxnKeys.manifestDelta(3)).orElseThrow(), UTF_8);
      assertThat(removal).contains(Fixtures.sstName(2)).doesNotContain(Fixtures.sstName(1));
      assertThat(removal).doesNotContain("\"schema\"");
      assertThat(new String(store.get(TxnKeys.manifestDelta(4)).orElseThrow(), UTF_8))
          .contains("\"schema\"");
      assertSameAsFreshSync(s);
    }
  }

  @Test
  void aNewCheckpointReplacesTheDeltasBeforeTheyGrowLong() {
    MemoryStore store = new MemoryStore();
    try (Scenario s = new Scenario(tmp.resolve("src"), store, Fixtures.sstConfig(), serial())) {
      syncDays(s);
      int commits = Manifest.Journal.MAX_DELTAS * 2 + 3;
      long checkpoints = 0;
      long lastCheckpoint = 1;
      for (int i = 0; i < commits; i++) {
        // a new mtime: a new version of a day
        s.put(days.get(i % DAYS), Fixtures.sstName(i % DAYS)).created(Fixtures.sstName(i % DAYS));
        long cp = checkpoint(store).seq();
        if (cp != lastCheckpoint) {
          checkpoints++;
          lastCheckpoint = cp;
          // the deltas the new checkpoint includes are gone
          assertThat(deltaSeqs(store)).allMatch(seq -> seq > cp);
        }
        assertThat(deltaSeqs(store)).hasSizeLessThan(Manifest.Journal.MAX_DELTAS);
        assertThat(read(store).seq()).isEqualTo(2 + i);
      }
      assertThat(checkpoints).isGreaterThanOrEqualTo(2);
      assertSameAsFreshSync(s);
      // a new engine reads the same manifest and goes on from it
      s.engine.close();
      s.engine = SyncEngine.open(s.config, new LocalDirectorySource(s.source), store, s.options);
      s.put(days.get(3), Fixtures.sstName(3)).created(Fixtures.sstName(3));
      assertSameAsFreshSync(s);
    }
  }

  @Test
  void deltasAlreadyInTheCheckpointAreSkippedAndAMissingDeltaIsReported() {
    MemoryStore store = new MemoryStore();
    try (Scenario s = new Scenario(tmp.resolve("src"), store, Fixtures.sstConfig(), serial())) {
      syncDays(s);
      for (int i = 1; i <= 3; i++) {
        s.put(days.get(i), Fixtures.sstName(i)).created(Fixtures.sstName(i));
      }
    }
    Manifest before = read(store);
    // a leftover of an earlier checkpoint (its cleanup was interrupted): skipped
    store.put(TxnKeys.manifestDelta(1), store.get(TxnKeys.manifestDelta(2)).orElseThrow());
    assertThat(ManifestCodec.encode(read(store))).isEqualTo(ManifestCodec.encode(before));

    store.delete(TxnKeys.manifestDelta(3));
    assertThatThrownBy(() -> read(store))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("do not follow commit 2");

    store.put(TxnKeys.manifestDelta(3), "{\"format\":1,\"delta\":true,\"seq\":7}".getBytes(UTF_8));
    assertThatThrownBy(() -> read(store))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("manifest delta of commit 7 cannot follow commit 2");
  }

  @Test
  void aFormatOneCheckpointIsStillReadAndTheNextCommitGoesOn() throws Exception {
    MemoryStore store = new MemoryStore();
    try (Scenario s = new Scenario(tmp.resolve("src"), store, Fixtures.sstConfig(), serial())) {
      syncDays(s);
    }
    Manifest current = read(store);
    // format 1 as the previous version wrote it: shown version spelled out, index 0 written
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = (ObjectNode) json.readTree(store.get(TxnKeys.MANIFEST).orElseThrow());
    assertThat(doc.get("format").asInt()).isEqualTo(Manifest.FORMAT);
    doc.put("format", 1);
    for (JsonNode identity : doc.get("identities")) {
      ArrayNode versions = (ArrayNode) identity.get("versions");
      versions.forEach(v -> ((ObjectNode) v).put("index", 0));
      assertThat(identity.get("shown").isInt()).isTrue();
      ((ObjectNode) identity).set("shown", versions.get(identity.get("shown").asInt()).deepCopy());
    }
    store.put(TxnKeys.MANIFEST, json.writeValueAsBytes(doc));

    Manifest old = read(store);
    assertThat(old.identities()).isEqualTo(current.identities());
    assertThat(old.files()).isEqualTo(current.files());
    assertThat(old.schema()).isEqualTo(current.schema());
    try (Scenario s = new Scenario(tmp.resolve("src"), store, Fixtures.sstConfig(), serial())) {
      s.put(days.get(1), Fixtures.sstName(1)).created(Fixtures.sstName(1));
      assertSameAsFreshSync(s);
    }

    doc.put("format", Manifest.FORMAT + 1);
    store.put(TxnKeys.MANIFEST, json.writeValueAsBytes(doc));
    assertThatThrownBy(() -> read(store))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("format " + (Manifest.FORMAT + 1) + " is not supported");
  }

  private static EngineOptions serial() {
    return Scenario.serial();
  }
}
