package dev.syncline.push.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.contracts.config.SettingException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiveSettingsTest {
  @Test
  void defaults() {
    LiveSettings settings = LiveSettings.from(new JsonObject());
    assertThat(settings.maxSubscriptions()).isEqualTo(100);
    assertThat(settings.maxFrameBytes()).isEqualTo(65_536);
    assertThat(settings.maxQueueBytes()).isEqualTo(1_048_576);
    assertThat(settings.pingSeconds()).isEqualTo(90);
    assertThat(settings.tokenGraceSeconds()).isEqualTo(30);
    assertThat(settings.gapWaitMillis()).isEqualTo(500);
    assertThat(settings.authorizationSeconds()).isEqualTo(300);
    assertThat(settings.channels().ruleFor("public.news")).isPresent();
    assertThat(settings.dealers().named("anything")).isEmpty();
  }

  /** Each limit takes both ends of its range, from a file's number or the environment's text, and no further. */
  @ParameterizedTest
  @CsvSource({
      "live_max_subscriptions, 1, 100000",
      "live_max_frame_bytes, 1024, 16777216",
      "live_max_queue_bytes, 4096, 1073741824",
      "live_ping_seconds, 1, 3600",
      "live_token_grace_seconds, 0, 3600",
      "live_gap_wait_millis, 10, 60000",
      "live_authorization_seconds, 1, 86400"})
  void eachLimitAcceptsItsRangeAndRefusesOneBeyond(String key, int min, int max) {
    ToIntFunction<LiveSettings> read = switch (key) {
      case "live_max_subscriptions" -> LiveSettings::maxSubscriptions;
      case "live_max_frame_bytes" -> LiveSettings::maxFrameBytes;
      case "live_max_queue_bytes" -> LiveSettings::maxQueueBytes;
      case "live_ping_seconds" -> LiveSettings::pingSeconds;
      case "live_token_grace_seconds" -> LiveSettings::tokenGraceSeconds;
      case "live_gap_wait_millis" -> LiveSettings::gapWaitMillis;
      default -> LiveSettings::authorizationSeconds;
    };
    assertThat(read.applyAsInt(LiveSettings.from(new JsonObject().put(key, min)))).isEqualTo(min);
    assertThat(read.applyAsInt(LiveSettings.from(new JsonObject().put(key, String.valueOf(max))))).isEqualTo(max);
    String variable = "SYNCLINE_" + key.toUpperCase(Locale.ROOT);
    for (long beyond : new long[] {min - 1L, max + 1L}) {
      assertThatThrownBy(() -> LiveSettings.from(new JsonObject().put(key, String.valueOf(beyond))))
          .isInstanceOf(SettingException.class)
          .hasMessage(variable + ": expected a whole number from " + min + " to " + max + ", got '" + beyond + "'");
    }
  }
}
