package dev.syncline.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.contracts.config.SettingException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The settings that shape how a node uses its cores. */
class GatewaySettingsTest {
  @Test
  void oneGatewayAndOneEventLoopPerCoreByDefault() {
    GatewaySettings settings = GatewaySettings.from(new JsonObject());
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(settings.httpInstances()).isEqualTo(cores);
    assertThat(settings.eventLoops()).isEqualTo(cores);
  }

  @ParameterizedTest
  @CsvSource({"http_instances, 1, 256", "event_loops, 1, 1024"})
  void eachAcceptsItsRangeAndRefusesOneBeyond(String key, int min, int max) {
    ToIntFunction<GatewaySettings> read = "http_instances".equals(key)
        ? GatewaySettings::httpInstances : GatewaySettings::eventLoops;
    assertThat(read.applyAsInt(GatewaySettings.from(new JsonObject().put(key, min)))).isEqualTo(min);
    assertThat(read.applyAsInt(GatewaySettings.from(new JsonObject().put(key, String.valueOf(max)))))
        .isEqualTo(max);
    String variable = "SYNCLINE_" + key.toUpperCase(Locale.ROOT);
    for (long beyond : new long[] {min - 1L, max + 1L}) {
      assertThatThrownBy(() -> GatewaySettings.from(new JsonObject().put(key, String.valueOf(beyond))))
          .isInstanceOf(SettingException.class)
          .hasMessage(variable + ": expected a whole number from " + min + " to " + max + ", got '" + beyond + "'");
    }
  }
}
