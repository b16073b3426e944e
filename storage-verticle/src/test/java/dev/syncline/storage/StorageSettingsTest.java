package dev.syncline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.contracts.config.SettingException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {
  @Test
  void writeGroupSizeDefaultsTo32() {
    assertThat(StorageSettings.from(new JsonObject()).writeGroupSize()).isEqualTo(32);
  }

  @Test
  void writeGroupSizeAcceptsOneToSixtyFourAndRefusesOneBeyond() {
    assertThat(StorageSettings.from(new JsonObject().put("write_group_size", 1)).writeGroupSize()).isEqualTo(1);
    assertThat(StorageSettings.from(new JsonObject().put("write_group_size", "64")).writeGroupSize()).isEqualTo(64);
    for (String beyond : new String[] {"0", "65"}) {
      assertThatThrownBy(() -> StorageSettings.from(new JsonObject().put("write_group_size", beyond)))
          .isInstanceOf(SettingException.class)
          .hasMessage("SYNCLINE_WRITE_GROUP_SIZE: expected a whole number from 1 to 64, got '" + beyond + "'");
    }
  }
}
