package dev.syncline.storage.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.contracts.config.SettingException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PushStoreSettingsTest {
  @Test
  void defaults() {
    PushStoreSettings settings = PushStoreSettings.from(new JsonObject());
    assertThat(settings.purgeIntervalSeconds()).isEqualTo(60);
    assertThat(settings.writeBatch()).isEqualTo(128);
    assertThat(settings.writeConcurrency()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
      "push_purge_interval_seconds, 1, 86400",
      "push_write_batch, 1, 1000",
      "push_write_concurrency, 1, 64"})
  void eachLimitAcceptsItsRangeAndRefusesOneBeyond(String key, int min, int max) {
    ToIntFunction<PushStoreSettings> read = switch (key) {
      case "push_purge_interval_seconds" -> PushStoreSettings::purgeIntervalSeconds;
      case "push_write_batch" -> PushStoreSettings::writeBatch;
      default -> PushStoreSettings::writeConcurrency;
    };
    assertThat(read.applyAsInt(PushStoreSettings.from(new JsonObject().put(key, min)))).isEqualTo(min);
    assertThat(read.applyAsInt(PushStoreSettings.from(new JsonObject().put(key, String.valueOf(max)))))
        .isEqualTo(max);
    String variable = "SYNCLINE_" + key.toUpperCase(Locale.ROOT);
    for (long beyond : new long[] {min - 1L, max + 1L}) {
      assertThatThrownBy(() -> PushStoreSettings.from(new JsonObject().put(key, String.valueOf(beyond))))
          .isInstanceOf(SettingException.class)
          .hasMessage(variable + ": expected a whole number from " + min + " to " + max + ", got '" + beyond + "'");
    }
  }
}
