package io.zarrsync.core.layout;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.config.ConfigSection;
import io.zarrsync.core.config.DidYouMean;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds {@link LayoutProvider}s by name and creates a collection's {@link Layout}. */
public final class Layouts {
  private Layouts() {}

  /** Every provider on the class path (built-ins and plug-ins). */
  public static List<LayoutProvider> providers() {
    return ServiceLoader.load(LayoutProvider.class, Layouts.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get)
        .toList();
  }

  /**
   * The provider called {@code name}.
   *
   * @param section the config section holding the {@code layout} key, for the error message
   * @throws InvalidConfigException naming the known layouts
   */
  public static LayoutProvider provider(String name, ConfigSection section, String key) {
    List<LayoutProvider> all = providers();
    List<LayoutProvider> found = all.stream().filter(p -> p.name().equals(name)).toList();
    if (found.size() > 1) {
      throw section.error(key, "several layout plug-ins are called '" + name + "'");
    }
    if (found.isEmpty()) {
      TreeSet<String> names = new TreeSet<>();
      all.forEach(p -> names.add(p.name()));
      throw section.error(
          key,
          "'"
              + name
              + "' is not a known layout; use one of "
              + String.join(", ", names)
              + DidYouMean.suffix(name, names));
    }
    return found.get(0);
  }

  /** Creates the layout of {@code config} (its keys were validated when the config was loaded). */
  public static Layout create(CollectionConfig config) {
    ConfigSection section = config.layoutSection();
    Layout layout = provider(config.layout(), section, "layout").create(config, section);
    section.markKnown(CollectionConfig.COMMON_KEYS);
    section.finish();
    return layout;
  }
}
