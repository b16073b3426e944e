package dev.syncline.push.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.contracts.config.SettingException;
import dev.syncline.push.live.ChannelRules.Access;
import dev.syncline.push.live.ChannelRules.Rule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelRulesTest {
  private static ChannelRules rules(String json) {
    return ChannelRules.from(new JsonObject().put("live_channels", json));
  }

  /** The pattern of the rule deciding for {@code channel}, or null when none does. */
  private static String decides(ChannelRules rules, String channel) {
    return rules.ruleFor(channel).map(Rule::pattern).orElse(null);
  }

  private static Rule only(String rule) {
    return rules("[" + rule + "]").ruleFor("a.b").orElseThrow();
  }

  @Test
  void byDefaultUsersOwnTheirChannelsAndPublicChannelsAreReadOnly() {
    ChannelRules defaults = ChannelRules.from(new JsonObject());
    Rule user = defaults.ruleFor("user.jwt:ann.inbox").orElseThrow();
    assertThat(user.subscribe()).isEqualTo(Access.OWNER);
    assertThat(user.publish()).isEqualTo(Access.OWNER);
    assertThat(user.allows(Access.OWNER, "user.jwt:ann.inbox", "jwt:ann")).isTrue();
    assertThat(user.allows(Access.OWNER, "user.jwt:ann.inbox", "jwt:bob")).isFalse();
    Rule news = defaults.ruleFor("public.news").orElseThrow();
    assertThat(news.subscribe()).isEqualTo(Access.EVERYONE);
    assertThat(news.publish()).isEqualTo(Access.NONE);
    assertThat(user.history()).isZero();
    assertThat(news.history()).isZero();
    assertThat(decides(defaults, "private.things")).isNull();
    // "user.{id}.*" needs a segment after the id.
    assertThat(decides(defaults, "user.jwt:ann")).isNull();
  }

  @Test
  void literalSegmentsMatchExactlyAndRegexCharactersInThemAreLiteral() {
    ChannelRules rules = rules("[{\"pattern\": \"a+b.c=d\", \"subscribe\": \"everyone\"}]");
    assertThat(decides(rules, "a+b.c=d")).isEqualTo("a+b.c=d");
    assertThat(decides(rules, "aab.c=d")).isNull();
    assertThat(decides(rules, "a+b.c=d.e")).isNull();
    assertThat(decides(rules, "a+b")).isNull();
    assertThat(decides(rules, "A+b.c=d")).isNull();
  }

  @Test
  void aStarIsOneSegmentInsideAPatternAndOneOrMoreAtItsEnd() {
    ChannelRules rules = rules("[{\"pattern\": \"game.*.moves\", \"subscribe\": \"everyone\"}, "
        + "{\"pattern\": \"feed.*\", \"subscribe\": \"everyone\"}]");
    assertThat(decides(rules, "game.g1.moves")).isEqualTo("game.*.moves");
    assertThat(decides(rules, "game.g1.g2.moves")).isNull();
    assertThat(decides(rules, "game.moves")).isNull();
    assertThat(decides(rules, "feed.a")).isEqualTo("feed.*");
    assertThat(decides(rules, "feed.a.b.c")).isEqualTo("feed.*");
    assertThat(decides(rules, "feed")).isNull();
    assertThat(decides(rules("[{\"pattern\": \"*\", \"subscribe\": \"everyone\"}]"), "any.thing.at.all"))
        .isEqualTo("*");
  }

  @Test
  void anIdSegmentIsExactlyOneSegmentAndOwnerAccessNeedsItToBeTheUsersId() {
    Rule rule = rules("[{\"pattern\": \"{id}.notes\", \"subscribe\": \"owner\", \"publish\": \"owner\"}]")
        .ruleFor("jwt:ann.notes").orElseThrow();
    assertThat(rule.allows(Access.OWNER, "jwt:ann.notes", "jwt:ann")).isTrue();
    assertThat(rule.allows(Access.OWNER, "jwt:ann.notes", "jwt:annie")).isFalse();
    assertThat(rule.allows(Access.OWNER, "jwt:ann.notes", null)).isFalse();
    ChannelRules middle = rules("[{\"pattern\": \"user.{id}.inbox\", \"subscribe\": \"owner\"}]");
    assertThat(decides(middle, "user.ann.inbox")).isEqualTo("user.{id}.inbox");
    // A user id with a dot spans two segments: it never owns a channel.
    assertThat(decides(middle, "user.ann.smith.inbox")).isNull();
    assertThat(decides(middle, "user..inbox")).isNull();
  }

  @Test
  void eachAccessLevel() {
    Rule rule = only("{\"pattern\": \"a.{id}\", \"subscribe\": \"everyone\", \"publish\": \"authenticated\"}");
    assertThat(rule.allows(Access.EVERYONE, "a.b", null)).isTrue();
    assertThat(rule.allows(Access.AUTHENTICATED, "a.b", null)).isFalse();
    assertThat(rule.allows(Access.AUTHENTICATED, "a.b", "jwt:x")).isTrue();
    assertThat(rule.allows(Access.NONE, "a.b", "b")).isFalse();
    assertThat(rule.allows(Access.OWNER, "a.b", "b")).isTrue();
    assertThat(rule.allows(Access.OWNER, "a.b", "c")).isFalse();
  }

  @Test
  void theFirstRuleThatMatchesDecidesEvenIfALaterOneIsMoreSpecific() {
    ChannelRules rules = rules("[{\"pattern\": \"room.*\", \"subscribe\": \"authenticated\", \"history\": 5}, "
        + "{\"pattern\": \"room.lobby\", \"subscribe\": \"everyone\"}, "
        + "{\"pattern\": \"*\", \"subscribe\": \"none\"}]");
    Rule lobby = rules.ruleFor("room.lobby").orElseThrow();
    assertThat(lobby.pattern()).isEqualTo("room.*");
    assertThat(lobby.subscribe()).isEqualTo(Access.AUTHENTICATED);
    assertThat(lobby.history()).isEqualTo(5);
    assertThat(decides(rules, "elsewhere")).isEqualTo("*");
  }

  @Test
  void accessNamesIgnoreCaseAndAMissingOneIsNone() {
    Rule rule = only("{\"pattern\": \"a.*\", \"subscribe\": \"Everyone\"}");
    assertThat(rule.subscribe()).isEqualTo(Access.EVERYONE);
    assertThat(rule.publish()).isEqualTo(Access.NONE);
  }

  @Test
  void historyDefaultsToNoneKeptFiveMinutesAndAcceptsItsBounds() {
    Rule none = only("{\"pattern\": \"a.*\", \"subscribe\": \"everyone\"}");
    assertThat(none.history()).isZero();
    assertThat(none.historySeconds()).isEqualTo(300);
    Rule longest = only("{\"pattern\": \"a.*\", \"history\": 10000, \"history_seconds\": 604800}");
    assertThat(longest.history()).isEqualTo(10_000);
    assertThat(longest.historySeconds()).isEqualTo(604_800);
    Rule shortest = only("{\"pattern\": \"a.*\", \"history\": 1, \"history_seconds\": 1}");
    assertThat(shortest.history()).isEqualTo(1);
    assertThat(shortest.historySeconds()).isEqualTo(1);
  }

  @Test
  void aConfigFileMayGiveTheRulesAsAList() {
    ChannelRules rules = ChannelRules.from(new JsonObject().put("live_channels", new JsonArray()
        .add(new JsonObject().put("pattern", "x.*").put("subscribe", "everyone"))));
    assertThat(decides(rules, "x.y")).isEqualTo("x.*");
    assertThat(decides(rules("[]"), "x.y")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json",
      "{\"pattern\": \"a.*\"}",
      "[\"a.*\"]",
      "[{\"subscribe\": \"everyone\"}]",
      "[{\"pattern\": 5}]",
      "[{\"pattern\": \"\"}]",
      "[{\"pattern\": \"a..b\"}]",
      "[{\"pattern\": \"a.\"}]",
      "[{\"pattern\": \"a b\"}]",
      "[{\"pattern\": \"user.x{id}\"}]",
      "[{\"pattern\": \"a*.b\"}]",
      "[{\"pattern\": \"{id}.{id}\"}]"})
  void malformedRulesOrPatternsStopTheNodeNamingTheSetting(String setting) {
    assertThatThrownBy(() -> rules(setting)).isInstanceOf(SettingException.class)
        .hasMessageStartingWith("SYNCLINE_LIVE_CHANNELS: expected ");
  }

  @Test
  void eachBadFieldIsNamedInTheMessage() {
    assertRefused("{\"pattern\": \"a.*\", \"subscribe\": \"admins\"}",
        "\"subscribe\" one of owner|authenticated|everyone|none");
    assertRefused("{\"pattern\": \"a.*\", \"subscribe\": true}",
        "\"subscribe\" one of owner|authenticated|everyone|none");
    // Anyone may read a channel, but not write to it anonymously.
    assertRefused("{\"pattern\": \"a.*\", \"publish\": \"everyone\"}", "\"publish\" one of owner|authenticated|none");
    assertRefused("{\"pattern\": \"a.*\", \"subscribe\": \"owner\"}", "an {id} segment in a pattern with owner access");
    assertRefused("{\"pattern\": \"a.*\", \"publish\": \"owner\"}", "an {id} segment in a pattern with owner access");
    assertRefused("{\"pattern\": \"a.*\", \"history\": 10001}", "\"history\" an integer from 0 to 10000");
    assertRefused("{\"pattern\": \"a.*\", \"history\": -1}", "\"history\" an integer from 0 to 10000");
    assertRefused("{\"pattern\": \"a.*\", \"history\": \"5\"}", "\"history\" an integer from 0 to 10000");
    assertRefused("{\"pattern\": \"a.*\", \"history\": 2.5}", "\"history\" an integer from 0 to 10000");
    assertRefused("{\"pattern\": \"a.*\", \"history_seconds\": 604801}",
        "\"history_seconds\" an integer from 1 to 604800");
    assertRefused("{\"pattern\": \"a.*\", \"history_seconds\": 0}", "\"history_seconds\" an integer from 1 to 604800");
  }

  private static void assertRefused(String rule, String expected) {
    assertThatThrownBy(() -> rules("[" + rule + "]")).as(rule).isInstanceOf(SettingException.class)
        .hasMessageStartingWith("SYNCLINE_LIVE_CHANNELS: expected " + expected);
  }

  @Test
  void wellFormedChannelNamesAreDottedAndAtMost200Characters() {
    assertThat(ChannelRules.wellFormed("user.jwt:ann.inbox")).isTrue();
    assertThat(ChannelRules.wellFormed("a_b-c@d=e+f")).isTrue();
    assertThat(ChannelRules.wellFormed("x".repeat(200))).isTrue();
    assertThat(ChannelRules.wellFormed("x".repeat(201))).isFalse();
    assertThat(ChannelRules.wellFormed("a." + "x".repeat(197))).isTrue();
    assertThat(ChannelRules.wellFormed("")).isFalse();
    assertThat(ChannelRules.wellFormed("a..b")).isFalse();
    assertThat(ChannelRules.wellFormed(".a")).isFalse();
    assertThat(ChannelRules.wellFormed("a.")).isFalse();
    assertThat(ChannelRules.wellFormed("a b")).isFalse();
    assertThat(ChannelRules.wellFormed("a/b")).isFalse();
    assertThat(ChannelRules.wellFormed("a.*")).isFalse();
    assertThat(ChannelRules.wellFormed("{id}")).isFalse();
  }
}
