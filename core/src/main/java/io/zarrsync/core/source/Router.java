package io.zarrsync.core.source;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.config.CollectionConfig;
import java.util.List;
import java.util.Optional;

/**
 * Routes source keys to the collections sharing one source: a key belongs to the collection whose
 * {@code match} regex matches it entirely; a key matching none belongs to no collection (callers
 * report it); a key matching two is a configuration error.
 */
public final class Router {
  private final List<CollectionConfig> collections;

  public Router(List<CollectionConfig> collections) {
    this.collections = List.copyOf(collections);
    for (int i = 0; i < collections.size(); i++) {
      for (int j = i + 1; j < collections.size(); j++) {
        if (collections.get(i).name().equals(collections.get(j).name())) {
          throw new InvalidConfigException(
              "two collections are called '" + collections.get(i).name() + "'");
        }
      }
    }
  }

  /**
   * The collection of {@code key}, or empty if no collection's regex matches.
   *
   * @throws InvalidConfigException if two collections match, naming both config files
   */
  public Optional<CollectionConfig> route(String key) {
    CollectionConfig found = null;
    for (CollectionConfig c : collections) {
      if (c.matches(key)) {
        if (found != null) {
          throw new InvalidConfigException(
              "source key '"
                  + key
                  + "' matches both collection '"
                  + found.name()
                  + "' ("
                  + found.file()
                  + ") and '"
                  + c.name()
                  + "' ("
                  + c.file()
                  + "); make their 'match' regexes disjoint");
        }
        found = c;
      }
    }
    return Optional.ofNullable(found);
  }
}
