package io.zarrsync.core.layout;

import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.config.ConfigSection;

/**
 * A named layout, found with {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/io.zarrsync.core.layout.LayoutProvider}. The collection config's {@code
 * layout:} key selects a provider by {@link #name()}; the built-ins are {@code grid} and {@code
 * profiles}.
 *
 * <p>Providers are stateless factories; the engine calls {@link #create} once per collection.
 */
public interface LayoutProvider {
  /** The value of {@code layout:} that selects this provider, e.g. {@code grid}. */
  String name();

  /**
   * Builds the layout of one collection. The provider reads its own top-level config keys from
   * {@code section} (the whole collection document minus the common keys the engine already
   * consumed); every key it does not ask for is rejected afterwards with a "did you mean", so a
   * provider must ask for every key it supports, optional ones included.
   *
   * @throws io.zarrsync.api.InvalidConfigException naming the file, the key and the allowed values
   */
  Layout create(CollectionConfig config, ConfigSection section);
}
