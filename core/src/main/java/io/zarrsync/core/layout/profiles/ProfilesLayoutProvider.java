package io.zarrsync.core.layout.profiles;

import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.config.ConfigSection;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.LayoutProvider;

/**
 * The built-in {@code profiles} layout ({@code layout: profiles}): one store row per profile, found
 * by identity fields read from the file, the best-ranked version shown. Its keys are {@code
 * record-dim}, {@code grow}, {@code identity}, {@code rank}, {@code attributes} and {@code
 * provenance} (docs/profiles.md).
 */
public final class ProfilesLayoutProvider implements LayoutProvider {
  @Override
  public String name() {
    return "profiles";
  }

  @Override
  public Layout create(CollectionConfig config, ConfigSection section) {
    return new ProfilesLayout(config, ProfilesSettings.parse(config, section));
  }
}
