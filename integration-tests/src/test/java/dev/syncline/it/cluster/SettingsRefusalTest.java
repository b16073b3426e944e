package dev.syncline.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.it.support.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A node with an unusable setting stops at once with one line that names it, and never echoes a secret. */
class SettingsRefusalTest {

  @Test
  void badPortStopsTheNodeWithOneLine() throws Exception {
    String output = refuse(Map.of("SYNCLINE_HTTP_PORT", "eighty"));
    assertThat(output.strip()).isEqualTo(
        "syncline: SYNCLINE_HTTP_PORT: expected a whole number from 0 to 65535, got 'eighty'");
  }

  @Test
  void badDatabaseUrlIsRefusedWithoutEchoingThePassword() throws Exception {
    String output = refuse(Map.of("SYNCLINE_PG_URL", "mysql://app:hunter2-secret@db:3306/app"));
    assertThat(output).contains("SYNCLINE_PG_URL").doesNotContain("hunter2-secret");
    assertThat(output.strip().lines()).hasSize(1);
  }

  @Test
  void badConfigFileIsNamed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("syncline.json"), "{\"cluster_join\": \"multicast\"}");
    String output = refuse(Map.of(), "--conf", file.toString());
    assertThat(output.strip()).isEqualTo(
        "syncline: SYNCLINE_CLUSTER_JOIN: expected one of tcp, kubernetes, got 'multicast'");
  }

  @Test
  void environmentOverridesTheConfigFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("syncline.json"), "{\"http_port\": 8080, \"readonly\": \"maybe\"}");
    String output = refuse(Map.of("SYNCLINE_READONLY", "perhaps"), "--conf", file.toString());
    assertThat(output.strip()).isEqualTo("syncline: SYNCLINE_READONLY: expected true or false, got 'perhaps'");
  }

  // One setting of each push settings record: the WebSocket limits, the endpoint's limits and the purge. Main
  // checks them all before joining the cluster, so a bad one never gets as far as starting a verticle.
  @ParameterizedTest
  @CsvSource({
      "SYNCLINE_PUSH_MAX_CHANNELS, 0, 1, 10000",
      "SYNCLINE_PUSH_MAX_MESSAGE_BYTES, 1024, 4096, 1048576",
      "SYNCLINE_PUSH_PURGE_INTERVAL_SECONDS, 90000, 1, 86400"})
  void outOfRangePushSettingStopsTheNodeWithOneLine(String variable, String value, int min, int max)
      throws Exception {
    String output = refuse(Map.of(variable, value));
    assertThat(output.strip()).isEqualTo("syncline: " + variable + ": expected a whole number from " + min + " to "
        + max + ", got '" + value + "'");
  }

  private static String refuse(Map<String, String> env, String... args) throws Exception {
    NodeProcess process = NodeProcess.start("refused", env, args);
    try {
      assertThat(process.waitFor(Duration.ofSeconds(60))).as(process.log()).isEqualTo(2);
      return process.log();
    } finally {
      process.close();
    }
  }
}
