package dev.syncline.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.contracts.config.SettingException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  @TempDir
  Path dir;

  @Test
  void environmentVariablesBecomeLowerCaseKeys() {
    JsonObject config = NodeConfig.load(List.of(), Map.of("SYNCLINE_HTTP_PORT", "9000", "PATH", "/bin"));
    assertThat(config).isEqualTo(new JsonObject().put("http_port", "9000"));
  }

  @Test
  void environmentOverridesTheFileAndTheFileMaySpellKeysEitherWay() throws Exception {
    Path file = Files.writeString(dir.resolve("c.json"),
        "{\"http_port\": 8000, \"SYNCLINE_CLUSTER_NAME\": \"prod\", \"readonly\": true}");
    JsonObject config = NodeConfig.load(List.of("--conf", file.toString()), Map.of("SYNCLINE_HTTP_PORT", "9000"));
    assertThat(config.getValue("http_port")).isEqualTo("9000");
    assertThat(config.getValue("cluster_name")).isEqualTo("prod");
    assertThat(config.getValue("readonly")).isEqualTo(true);
  }

  @Test
  void confMayBeGivenWithAnEqualsSign() throws Exception {
    Path file = Files.writeString(dir.resolve("c.json"), "{\"http_port\": 8000}");
    assertThat(NodeConfig.load(List.of("--conf=" + file), Map.of()).getValue("http_port")).isEqualTo(8000);
  }

  @Test
  void unreadableOrInvalidFilesAreRefusedByName() throws Exception {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> NodeConfig.load(List.of("--conf", missing.toString()), Map.of()))
        .isInstanceOf(SettingException.class).hasMessageStartingWith("--conf " + missing + ": cannot read");
    Path broken = Files.writeString(dir.resolve("broken.json"), "{http_port: ");
    assertThatThrownBy(() -> NodeConfig.load(List.of("--conf", broken.toString()), Map.of()))
        .isInstanceOf(SettingException.class).hasMessageStartingWith("--conf " + broken + ": not a JSON object");
  }

  @Test
  void unknownArgumentsShowTheUsage() {
    assertThatThrownBy(() -> NodeConfig.load(List.of("--port", "80"), Map.of()))
        .isInstanceOf(SettingException.class).hasMessageContaining(NodeConfig.USAGE);
  }
}
