package io.zarrsync.zarr.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.StoreException;
import io.zarrsync.api.TransientStoreException;
import io.zarrsync.api.UnknownOutcomeException;
import io.zarrsync.zarr.store.FailingStore.Failure;
import io.zarrsync.zarr.store.FailingStore.Op;
import io.zarrsync.zarr.store.FailingStore.Rule;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no rules the wrapper is a store like any other; with rules it fails where told. */
class FailingStoreTest extends StoreContractTest {
  @TempDir Path tmp;

  private final MemoryStore raw = new MemoryStore();
  private final FailingStore failing = new FailingStore(raw);
  private static final byte[] V = {1, 2, 3};

  @Override
  protected Store newStore() {
    return new FailingStore(new MemoryStore());
  }

  @Test
  void theNthMatchingOperationFailsOnceAndNamesTheStoreAndKey() {
    failing.fail(Rule.on(Op.PUT).key("chunks/.*").nth(2));
    failing.put("other", V);
    failing.put("chunks/0", V);
    assertThatThrownBy(() -> failing.put("chunks/1", V))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining(raw.describe())
        .hasMessageContaining("chunks/1")
        .hasMessageContaining("Input/output error")
        .hasCauseInstanceOf(IOException.class);
    assertThat(raw.exists("chunks/1")).isFalse();
    failing.put("chunks/2", V);
    assertThat(raw.list("chunks/")).containsExactly("chunks/0", "chunks/2");
    assertThat(failing.fired()).isEqualTo(1);
    assertThat(failing.failures())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.op()).isEqualTo(Op.PUT);
              assertThat(c.key()).isEqualTo("chunks/1");
              assertThat(c.failure()).isEqualTo(Failure.IO_ERROR);
              assertThat(c.index()).isEqualTo(3);
            });
  }

  @Test
  void aPersistentRuleFailsEveryLaterMatchUntilHealed() {
    failing.fail(Rule.on(Op.GET, Op.LIST).with(Failure.TRANSIENT).nth(2).persistent());
    raw.put("k", V);
    assertThat(failing.get("k")).isPresent();
    assertThatThrownBy(() -> failing.get("k")).isInstanceOf(TransientStoreException.class);
    assertThatThrownBy(() -> failing.list("")).isInstanceOf(TransientStoreException.class);
    assertThatThrownBy(() -> failing.listChildren("")).isInstanceOf(TransientStoreException.class);
    failing.put("k2", V);
    failing.heal();
    assertThat(failing.get("k")).isPresent();
    assertThat(failing.list("")).containsExactly("k", "k2");
    assertThat(failing.calls(Op.GET, "k"))
        .extracting(FailingStore.Call::failed)
        .containsExactly(false, true, false);
  }

  @Test
  void aFullDiskFailsEveryWriteUntilHealedButReadsAndDeletesWork() {
    raw.put("old", V);
    failing.fail(Rule.on(Op.PUT).key("a/.*").with(Failure.DISK_FULL));
    assertThatThrownBy(() -> failing.put("a/1", V))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("a/1");
    assertThat(failing.full()).isTrue();
    assertThatThrownBy(() -> failing.put("b", V)).hasMessageContaining("No space left on device");
    assertThatThrownBy(() -> failing.putIfAbsent("c", V))
        .hasMessageContaining("No space left on device");
    assertThat(failing.get("old")).isPresent();
    failing.delete("old");
    assertThat(raw.list("")).isEmpty();
    failing.heal();
    failing.put("b", V);
    assertThat(raw.list("")).containsExactly("b");
  }

  @Test
  void anUnknownOutcomeAfterTheWriteLandsItAndBeforeTheWriteDoesNot() {
    failing.fail(Rule.on(Op.PUT_IF_ABSENT).key("log/1").with(Failure.UNKNOWN_AFTER));
    failing.fail(Rule.on(Op.PUT_IF_ABSENT).key("log/2").with(Failure.UNKNOWN_BEFORE));
    assertThatThrownBy(() -> failing.putIfAbsent("log/1", V))
        .isInstanceOf(UnknownOutcomeException.class)
        .hasMessageContaining("log/1");
    assertThatThrownBy(() -> failing.putIfAbsent("log/2", V))
        .isInstanceOf(UnknownOutcomeException.class)
        .hasMessageContaining("log/2");
    assertThat(raw.exists("log/1")).isTrue();
    assertThat(raw.exists("log/2")).isFalse();
    // one-shot: the second try goes through and sees the outcome of the first
    assertThat(failing.putIfAbsent("log/1", V)).isFalse();
    assertThat(failing.putIfAbsent("log/2", V)).isTrue();
  }

  @Test
  void aTransientFailureChangesNothing() {
    failing.fail(Rule.on(Op.DELETE).with(Failure.TRANSIENT));
    raw.put("k", V);
    assertThatThrownBy(() -> failing.delete("k")).isInstanceOf(TransientStoreException.class);
    assertThat(raw.exists("k")).isTrue();
    failing.delete("k");
    assertThat(raw.exists("k")).isFalse();
  }

  @Test
  void itHidesTheLocalDirectorySoThatCallersUseTheStoreOperations() {
    FileSystemStore fs = new FileSystemStore(tmp.resolve("s"));
    FailingStore f = new FailingStore(fs);
    assertThat(fs.localDirectory()).isPresent();
    assertThat(f.localDirectory()).isEmpty();
    assertThat(f.describe()).isEqualTo(fs.describe());
    assertThat(f.delegate()).isSameAs(fs);
  }

  @Test
  void afterEachSeesEveryOperationThatWentThroughWithItsEffectInPlace() {
    java.util.List<String> seen = new java.util.ArrayList<>();
    failing.afterEach(c -> seen.add(c.op() + " " + c.key() + " " + raw.exists(c.key())));
    failing.fail(Rule.on(Op.PUT).key("b"));
    failing.put("a", V);
    assertThatThrownBy(() -> failing.put("b", V)).isInstanceOf(StoreException.class);
    failing.delete("a");
    assertThat(seen).containsExactly("PUT a true", "DELETE a false");
  }

  @Test
  void rulesAreValidated() {
    assertThatThrownBy(() -> Rule.on(Op.PUT).nth(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Rule.on(Op.PUT).key("x/.*").nth(3).persistent().toString())
        .contains("#3", "x/.*", "IO_ERROR", "after");
  }
}
