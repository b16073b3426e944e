package dev.syncline.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
  enum Mode { FAST, SAFE }

  @Test
  void valuesFromTheEnvironmentAreStringsAndFromAFileJsonTypes() {
    ConfigReader fromEnv = new ConfigReader(new JsonObject().put("http_port", "8080").put("readonly", "true"));
    ConfigReader fromFile = new ConfigReader(new JsonObject().put("http_port", 8080).put("readonly", true));
    assertThat(fromEnv.port("http_port", 1)).isEqualTo(8080);
    assertThat(fromFile.port("http_port", 1)).isEqualTo(8080);
    assertThat(fromEnv.bool("readonly", false)).isTrue();
    assertThat(fromFile.bool("readonly", false)).isTrue();
  }

  @Test
  void missingAndBlankValuesTakeTheDefault() {
    ConfigReader reader = new ConfigReader(new JsonObject().put("http_host", "  "));
    assertThat(reader.string("http_host", "0.0.0.0")).isEqualTo("0.0.0.0");
    assertThat(reader.integer("absent", 7, 0, 10)).isEqualTo(7);
    assertThat(reader.optionalString("absent")).isEmpty();
  }

  @Test
  void rangesAreCheckedAtBothEdges() {
    ConfigReader reader = new ConfigReader(new JsonObject().put("low", "1").put("high", "10").put("over", "11"));
    assertThat(reader.integer("low", 5, 1, 10)).isEqualTo(1);
    assertThat(reader.integer("high", 5, 1, 10)).isEqualTo(10);
    assertThatThrownBy(() -> reader.integer("over", 5, 1, 10))
        .isInstanceOf(SettingException.class)
        .hasMessage("SYNCLINE_OVER: expected a whole number from 1 to 10, got '11'");
  }

  @Test
  void refusalsNameTheEnvironmentVariable() {
    ConfigReader reader = new ConfigReader(new JsonObject()
        .put("http_port", "http").put("readonly", "maybe").put("mode", "turbo").put("public_url", "ftp://x"));
    assertThatThrownBy(() -> reader.port("http_port", 8080)).hasMessageStartingWith("SYNCLINE_HTTP_PORT: ");
    assertThatThrownBy(() -> reader.bool("readonly", false))
        .hasMessage("SYNCLINE_READONLY: expected true or false, got 'maybe'");
    assertThatThrownBy(() -> reader.choice("mode", Mode.FAST))
        .hasMessage("SYNCLINE_MODE: expected one of fast, safe, got 'turbo'");
    assertThatThrownBy(() -> reader.httpUrl("public_url")).hasMessageStartingWith("SYNCLINE_PUBLIC_URL: ");
  }

  @Test
  void secretsAreNeverEchoed() {
    assertThat(ConfigReader.invalidSecret("pg_url", "a postgresql:// URL"))
        .hasMessage("SYNCLINE_PG_URL: expected a postgresql:// URL");
  }

  @Test
  void listsComeAsCommaSeparatedTextOrJsonArrays() {
    ConfigReader reader = new ConfigReader(new JsonObject()
        .put("text", " a:1, b:2 ,,").put("array", new JsonArray().add("a:1").add("b:2")));
    assertThat(reader.list("text", List.of())).containsExactly("a:1", "b:2");
    assertThat(reader.list("array", List.of())).containsExactly("a:1", "b:2");
    assertThat(reader.list("absent", List.of("x"))).containsExactly("x");
  }

  @Test
  void urlsLoseTheirTrailingSlash() {
    ConfigReader reader = new ConfigReader(new JsonObject().put("public_url", "https://sync.example.com/"));
    assertThat(reader.httpUrl("public_url")).hasValue("https://sync.example.com");
  }

  @Test
  void envNamesAndKeysConvertBothWays() {
    assertThat(ConfigReader.envName("cluster_members")).isEqualTo("SYNCLINE_CLUSTER_MEMBERS");
    assertThat(ConfigReader.keyOf("SYNCLINE_CLUSTER_MEMBERS")).isEqualTo("cluster_members");
  }
}
