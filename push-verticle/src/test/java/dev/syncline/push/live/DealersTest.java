package dev.syncline.push.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.contracts.config.SettingException;
import dev.syncline.push.live.Dealers.Dealer;
import dev.syncline.push.live.Dealers.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DealersTest {
  private static final Dealers DEALERS = dealers("["
      + "{\"name\": \"AllTasks\", \"model\": \"task\", \"kind\": \"broadcast\"}, "
      + "{\"name\": \"TasksByOwner\", \"model\": \"task\", \"kind\": \"key\", \"field\": \"owner.name\"}, "
      + "{\"name\": \"FilteredTasks\", \"model\": \"task\", \"kind\": \"filter\"}, "
      + "{\"name\": \"notes.v2\", \"model\": \"note_v2\", \"kind\": \"KEY\", \"field\": \"id\"}]");

  private static final JsonObject ANNS = task("ann", 1);
  private static final JsonObject BOBS = task("bob", 5);

  private static Dealers dealers(String json) {
    return Dealers.from(new JsonObject().put("live_dealers", json));
  }

  private static JsonObject task(String owner, int priority) {
    return new JsonObject().put("owner", new JsonObject().put("name", owner)).put("priority", priority);
  }

  private static Dealer dealer(String name) {
    return DEALERS.named(name).orElseThrow();
  }

  @Test
  void dealersAreFoundByNameWithTheirModelAndKind() {
    assertThat(dealer("AllTasks")).isEqualTo(new Dealer("AllTasks", "task", Kind.BROADCAST, null));
    assertThat(dealer("TasksByOwner")).isEqualTo(new Dealer("TasksByOwner", "task", Kind.KEY, "owner.name"));
    assertThat(dealer("notes.v2")).isEqualTo(new Dealer("notes.v2", "note_v2", Kind.KEY, "id"));
    assertThat(DEALERS.named("alltasks")).isEmpty();
    assertThat(DEALERS.named("Nope")).isEmpty();
  }

  @Test
  void withoutTheSettingThereAreNoDealers() {
    assertThat(Dealers.from(new JsonObject()).named("AllTasks")).isEmpty();
    assertThat(dealers("[]").named("AllTasks")).isEmpty();
  }

  @Test
  void aConfigFileMayGiveTheDealersAsAList() {
    Dealers fromFile = Dealers.from(new JsonObject().put("live_dealers", new JsonArray()
        .add(new JsonObject().put("name", "All").put("model", "m").put("kind", "broadcast"))));
    assertThat(fromFile.named("All")).isPresent();
  }

  @Test
  void aBroadcastDealerSendsEveryDeltaWhateverTheQuery() {
    LiveFilter all = dealer("AllTasks").filter(null);
    assertThat(all.matches(ANNS)).isTrue();
    assertThat(all.matches(new JsonObject())).isTrue();
    assertThat(dealer("AllTasks").filter(new JsonArray("[\"==\", \"priority\", 99]")).matches(ANNS)).isTrue();
    assertThat(Delta.of(all, ANNS, BOBS)).isEqualTo(Delta.UPDATE);
    assertThat(Delta.of(all, null, ANNS)).isEqualTo(Delta.INSERT);
    assertThat(Delta.of(all, ANNS, null)).isEqualTo(Delta.DELETE);
  }

  @Test
  void aKeyDealerSendsTheDeltasWhoseFieldEqualsTheQuery() {
    LiveFilter anns = dealer("TasksByOwner").filter("ann");
    assertThat(anns.matches(ANNS)).isTrue();
    assertThat(anns.matches(BOBS)).isFalse();
    assertThat(anns.matches(new JsonObject())).isFalse();
    // An update that hands the task over leaves ann's view and enters bob's.
    assertThat(Delta.of(anns, ANNS, task("bob", 1))).isEqualTo(Delta.DELETE);
    assertThat(Delta.of(dealer("TasksByOwner").filter("bob"), ANNS, task("bob", 1))).isEqualTo(Delta.INSERT);
    assertThat(Delta.of(anns, ANNS, task("ann", 2))).isEqualTo(Delta.UPDATE);
    assertThat(Delta.of(anns, BOBS, task("bob", 2))).isEqualTo(Delta.NONE);
  }

  @Test
  void aKeyIsAStringANumberOrABoolean() {
    LiveFilter byId = dealer("notes.v2").filter(7);
    assertThat(byId.matches(new JsonObject().put("id", 7))).isTrue();
    assertThat(byId.matches(new JsonObject().put("id", 7.0))).isTrue();
    assertThat(byId.matches(new JsonObject().put("id", "7"))).isFalse();
    assertThat(dealer("notes.v2").filter(true).matches(new JsonObject().put("id", true))).isTrue();
    for (Object notAKey : new Object[] {null, new JsonObject(), new JsonArray().add("ann")}) {
      assertThatThrownBy(() -> dealer("TasksByOwner").filter(notAKey)).as(String.valueOf(notAKey))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("dealer TasksByOwner takes a key (string, number or boolean) as query");
    }
  }

  @Test
  void aFilterDealerSendsTheDeltasMatchingItsQuery() {
    LiveFilter urgent = dealer("FilteredTasks").filter(new JsonArray("[\">=\", \"priority\", 3]"));
    assertThat(urgent.matches(BOBS)).isTrue();
    assertThat(urgent.matches(ANNS)).isFalse();
    assertThat(Delta.of(urgent, ANNS, task("ann", 4))).isEqualTo(Delta.INSERT);
    assertThat(Delta.of(urgent, BOBS, task("bob", 0))).isEqualTo(Delta.DELETE);
    assertThatThrownBy(() -> dealer("FilteredTasks").filter(null))
        .hasMessage("dealer FilteredTasks takes a filter expression as query");
    assertThatThrownBy(() -> dealer("FilteredTasks").filter(new JsonArray("[\"~\", \"priority\", 3]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown filter operator");
    assertThatThrownBy(() -> dealer("FilteredTasks").filter("priority > 3"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void modelNamesAreLettersDigitsAndDotsUnderscoresDashesUpTo100() {
    assertThat(Dealers.validModel("task")).isTrue();
    assertThat(Dealers.validModel("note_v2.archive-1")).isTrue();
    assertThat(Dealers.validModel("m".repeat(100))).isTrue();
    assertThat(Dealers.validModel("m".repeat(101))).isFalse();
    assertThat(Dealers.validModel("")).isFalse();
    assertThat(Dealers.validModel("a/b")).isFalse();
    assertThat(Dealers.validModel("a b")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json",
      "{\"name\": \"A\", \"model\": \"m\", \"kind\": \"broadcast\"}",
      "[\"A\"]",
      "[{\"model\": \"m\", \"kind\": \"broadcast\"}]",
      "[{\"name\": \"A\", \"kind\": \"broadcast\"}]",
      "[{\"name\": \"A\", \"model\": \"m\"}]",
      "[{\"name\": \"A\", \"model\": \"m\", \"kind\": \"round-robin\"}]",
      "[{\"name\": \"A\", \"model\": \"m\", \"kind\": 1}]",
      "[{\"name\": \"A b\", \"model\": \"m\", \"kind\": \"broadcast\"}]",
      "[{\"name\": \"A\", \"model\": \"m/n\", \"kind\": \"broadcast\"}]",
      "[{\"name\": \"\", \"model\": \"m\", \"kind\": \"broadcast\"}]"})
  void malformedDealersStopTheNodeNamingTheSetting(String setting) {
    assertThatThrownBy(() -> dealers(setting)).isInstanceOf(SettingException.class)
        .hasMessageStartingWith("SYNCLINE_LIVE_DEALERS: expected a JSON list of {\"name\", \"model\", \"kind\": "
            + "\"broadcast|key|filter\", \"field\"?}");
  }

  @Test
  void aNameLongerThan100CharactersIsRefused() {
    String name = "d".repeat(100);
    assertThat(dealers("[{\"name\": \"" + name + "\", \"model\": \"m\", \"kind\": \"broadcast\"}]").named(name))
        .isPresent();
    assertThatThrownBy(() -> dealers("[{\"name\": \"" + name + "d\", \"model\": \"m\", \"kind\": \"broadcast\"}]"))
        .isInstanceOf(SettingException.class).hasMessageStartingWith("SYNCLINE_LIVE_DEALERS: expected");
  }

  @Test
  void aKeyDealerNeedsAFieldThatIsADottedName() {
    assertThatThrownBy(() -> dealers("[{\"name\": \"ByOwner\", \"model\": \"m\", \"kind\": \"key\"}]"))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("SYNCLINE_LIVE_DEALERS: expected a \"field\" for the key dealer ByOwner");
    assertThatThrownBy(() -> dealers("[{\"name\": \"ByOwner\", \"model\": \"m\", \"kind\": \"key\", \"field\": 3}]"))
        .hasMessageStartingWith("SYNCLINE_LIVE_DEALERS: expected a \"field\" for the key dealer ByOwner");
    assertThatThrownBy(() -> dealers("[{\"name\": \"ByOwner\", \"model\": \"m\", \"kind\": \"key\", "
        + "\"field\": \"owner name\"}]"))
        .hasMessageStartingWith("SYNCLINE_LIVE_DEALERS: expected a \"field\" for the key dealer ByOwner");
  }

  @Test
  void aFieldOnAnotherKindOfDealerIsIgnored() {
    assertThat(dealers("[{\"name\": \"All\", \"model\": \"m\", \"kind\": \"broadcast\", \"field\": \"x\"}]")
        .named("All").orElseThrow().field()).isNull();
  }

  @Test
  void aNameIsUsedOnce() {
    assertThatThrownBy(() -> dealers("[{\"name\": \"A\", \"model\": \"m\", \"kind\": \"broadcast\"}, "
        + "{\"name\": \"A\", \"model\": \"n\", \"kind\": \"filter\"}]"))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("SYNCLINE_LIVE_DEALERS: expected dealer names used once: A");
  }
}
