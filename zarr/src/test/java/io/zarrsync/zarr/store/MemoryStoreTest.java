package io.zarrsync.zarr.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryStoreTest extends StoreContractTest {
  @Override
  protected Store newStore() {
    return new MemoryStore();
  }

  @Test
  void eachStoreIsSeparate() {
    Store other = new MemoryStore();
    store.put("k", new byte[] {1});
    assertThat(other.exists("k")).isFalse();
    assertThat(other.describe()).isNotEqualTo(store.describe());
  }
}
