package io.zarrsync.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.s3.testing.LocalS3;
import io.zarrsync.zarr.store.Store;
import io.zarrsync.zarr.store.StoreContractTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract against s3proxy, each test in a fresh prefix of one bucket. */
class S3StoreContractTest extends StoreContractTest {
  private static final AtomicInteger STORES = new AtomicInteger();
  private static LocalS3 s3;
  private static String bucket;
  private String uri;

  @BeforeAll
  static void startServer() {
    s3 = LocalS3.start();
    bucket = s3.createBucket();
  }

  @AfterAll
  static void stopServer() {
    s3.close();
  }

  @Override
  protected Store newStore() {
    uri = "s3://" + bucket + "/stores/n" + STORES.incrementAndGet() + ".zarr";
    return S3Locations.store(uri, s3.client(), s3.settings());
  }

  @Test
  void describeIsTheS3Uri() {
    assertThat(store.describe()).isEqualTo(uri);
  }

  @Test
  void keysLiveBelowThePrefix() {
    store.put("a/b", new byte[] {1});
    String prefix = uri.substring(("s3://" + bucket + "/").length()) + "/";
    assertThat(s3.client().headObject(b -> b.bucket(bucket).key(prefix + "a/b")).contentLength())
        .isEqualTo(1L);
  }
}
