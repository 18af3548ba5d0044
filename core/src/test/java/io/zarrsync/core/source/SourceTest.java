package io.zarrsync.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.core.config.CollectionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTest {
  @TempDir Path tmp;

  @Test
  void keysAreRelativeSlashSeparatedAndNeverEscapeTheRoot() {
    assertThat(SourceKeys.normalize("a//b/./c.nc")).isEqualTo("a/b/c.nc");
    assertThatThrownBy(() -> SourceKeys.normalize("a/../../etc/passwd"))
        .isInstanceOf(ZarrsyncException.class)
        .hasMessageContaining("escapes the source root");
    assertThatThrownBy(() -> SourceKeys.normalize("/abs.nc")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> SourceKeys.normalize(" ")).hasMessageContaining("empty");
  }

  @Test
  void aDirectoryListsStatsAndOpensItsFiles() throws Exception {
    Files.createDirectories(tmp.resolve("d/sub"));
    Files.writeString(tmp.resolve("d/sub/b.nc"), "bb");
    Files.writeString(tmp.resolve("d/a.nc"), "a");
    LocalDirectorySource s = new LocalDirectorySource(tmp.resolve("d"));
    assertThat(s.list()).extracting(SourceObject::key).containsExactly("a.nc", "sub/b.nc");
    assertThat(s.stat("sub/b.nc")).get().extracting(o -> o.fingerprint().size()).isEqualTo(2L);
    assertThat(s.stat("missing.nc")).isEmpty();
    assertThat(s.stat("sub")).as("directories are not objects").isEmpty();
    try (OpenedObject o = s.open("a.nc")) {
      assertThat(o.path()).isEqualTo(tmp.resolve("d/a.nc").toAbsolutePath());
    }
    assertThat(s.keyFor(tmp.resolve("d/sub/b.nc").toString())).isEqualTo("sub/b.nc");
    assertThat(s.keyFor("sub/b.nc")).isEqualTo("sub/b.nc");
    assertThatThrownBy(() -> s.keyFor(tmp.resolve("elsewhere.nc").toString()))
        .hasMessageContaining("not under the source root");
    assertThatThrownBy(() -> s.stat("../x.nc")).hasMessageContaining("escapes");
  }

  private static CollectionConfig config(String name, String match) {
    return CollectionConfig.parse(
        String.join(
            "\n",
            "name: " + name,
            "match: '" + match + "'",
            "layout: grid",
            "axis: {step: P1D, origin: 2000-01-01}",
            "variables: [v]"),
        null);
  }

  @Test
  void eachKeyRoutesToTheOneCollectionMatchingIt() {
    Router r =
        new Router(List.of(config("a", "a/.*"), config("b", "b/.*"), config("ab", ".*/x\\.nc")));
    assertThat(r.route("a/1.nc")).get().extracting(CollectionConfig::name).isEqualTo("a");
    assertThat(r.route("c/1.nc")).isEmpty();
    assertThatThrownBy(() -> r.route("a/x.nc"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("matches both collection 'a'")
        .hasMessageContaining("'ab'");
    assertThatThrownBy(() -> new Router(List.of(config("a", "x"), config("a", "y"))))
        .hasMessageContaining("two collections are called 'a'");
  }
}
