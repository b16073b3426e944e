package dev.syncline.push.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LiveFilterTest {
  private static final JsonObject TASK = new JsonObject().put("status", "open").put("priority", 3)
      .put("owner", new JsonObject().put("name", "ann")).put("tags", new JsonArray().add("a"));

  private static boolean matches(String filter) {
    return LiveFilter.parse(new JsonArray(filter)).matches(TASK);
  }

  @Test
  void comparisonsOnFieldsAndDottedPaths() {
    assertThat(matches("[\"==\", \"status\", \"open\"]")).isTrue();
    assertThat(matches("[\"!=\", \"status\", \"open\"]")).isFalse();
    assertThat(matches("[\">=\", \"priority\", 3]")).isTrue();
    assertThat(matches("[\">\", \"priority\", 3]")).isFalse();
    assertThat(matches("[\"<\", \"priority\", 3.5]")).isTrue();
    assertThat(matches("[\"<=\", \"status\", \"open\"]")).isTrue();
    assertThat(matches("[\"==\", \"owner.name\", \"ann\"]")).isTrue();
    assertThat(matches("[\"in\", \"status\", [\"closed\", \"open\"]]")).isTrue();
    assertThat(matches("[\"==\", \"priority\", 3.0]")).isTrue();
  }

  @Test
  void mismatchedTypesAndMissingFieldsDoNotMatchOrderings() {
    assertThat(matches("[\"<\", \"status\", 5]")).isFalse();
    assertThat(matches("[\">\", \"missing\", 0]")).isFalse();
    assertThat(matches("[\"==\", \"missing\", null]")).isTrue();
    assertThat(matches("[\"!=\", \"missing\", 1]")).isTrue();
  }

  @Test
  void logicalOperatorsCombine() {
    assertThat(matches("[\"and\", [\"==\", \"status\", \"open\"], [\">=\", \"priority\", 3]]")).isTrue();
    assertThat(matches("[\"and\", [\"==\", \"status\", \"open\"], [\">=\", \"priority\", 4]]")).isFalse();
    assertThat(matches("[\"or\", [\"==\", \"status\", \"closed\"], [\">=\", \"priority\", 3]]")).isTrue();
    assertThat(matches("[\"not\", [\"==\", \"status\", \"closed\"]]")).isTrue();
  }

  @Test
  void noFilterMatchesEverythingButNothing() {
    assertThat(LiveFilter.parse(null).matches(TASK)).isTrue();
    assertThat(LiveFilter.all().matches(null)).isFalse();
  }

  @Test
  void malformedFiltersAreRefusedUpFront() {
    assertThatThrownBy(() -> LiveFilter.parse("status=open")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LiveFilter.parse(new JsonArray("[\"~\", \"a\", 1]")))
        .hasMessageContaining("unknown filter operator");
    assertThatThrownBy(() -> LiveFilter.parse(new JsonArray("[\"==\", \"a\"]"))).hasMessageContaining("takes");
    assertThatThrownBy(() -> LiveFilter.parse(new JsonArray("[\"in\", \"a\", 1]"))).hasMessageContaining("list");
    assertThatThrownBy(() -> LiveFilter.parse(new JsonArray("[\"not\", [\"==\", \"a\", 1], [\"==\", \"b\", 1]]")))
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> LiveFilter.parse(new JsonArray("[\"and\", \"x\"]"))).hasMessageContaining("expected");
    assertThatThrownBy(() -> LiveFilter.parse(new JsonArray("[\"==\", \"a b\", 1]"))).hasMessageContaining("field");
    String deep = "[\"not\", ".repeat(20) + "[\"==\", \"a\", 1]" + "]".repeat(20);
    assertThatThrownBy(() -> LiveFilter.parse(new JsonArray(deep))).hasMessageContaining("deeper");
  }

  @Test
  void filtersNest16DeepAndNoDeeper() {
    String sixteen = "[\"not\", ".repeat(16) + "[\"==\", \"a\", 1]" + "]".repeat(16);
    assertThat(LiveFilter.parse(new JsonArray(sixteen)).matches(new JsonObject().put("a", 1))).isTrue();
    String seventeen = "[\"and\", " + sixteen + "]";
    assertThatThrownBy(() -> LiveFilter.parse(new JsonArray(seventeen))).hasMessage("filter nested deeper than 16");
  }

  @Test
  void updatesCrossingTheFilterBecomeInsertsAndDeletes() {
    LiveFilter open = LiveFilter.parse(new JsonArray("[\"==\", \"status\", \"open\"]"));
    JsonObject opened = new JsonObject().put("status", "open");
    JsonObject closed = new JsonObject().put("status", "closed");
    assertThat(Delta.of(open, null, opened)).isEqualTo(Delta.INSERT);
    assertThat(Delta.of(open, closed, opened)).isEqualTo(Delta.INSERT);
    assertThat(Delta.of(open, opened, opened)).isEqualTo(Delta.UPDATE);
    assertThat(Delta.of(open, opened, closed)).isEqualTo(Delta.DELETE);
    assertThat(Delta.of(open, opened, null)).isEqualTo(Delta.DELETE);
    assertThat(Delta.of(open, closed, closed)).isEqualTo(Delta.NONE);
    assertThat(Delta.of(open, closed, null)).isEqualTo(Delta.NONE);
  }
}
