package dev.syncline.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.contracts.config.SettingException;
import dev.syncline.token.jwt.OidcProvider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TokenSettingsTest {
  static final String PROVIDER = "{\"name\":\"google\",\"issuer\":\"https://accounts.google.com\","
      + "\"audience\":\"client\",\"jwks_url\":\"https://www.googleapis.com/oauth2/v3/certs\"}";

  @Test
  void defaults() {
    TokenSettings settings = TokenSettings.from(new JsonObject());
    assertThat(settings.jwtSecret()).isEmpty();
    assertThat(settings.jwtPrincipalPrefix()).isEqualTo("jwt");
    assertThat(settings.oidcProviders()).isEmpty();
    assertThat(settings.bearerEnabled()).isFalse();
    assertThat(settings.leewaySeconds()).isEqualTo(60);
    assertThat(settings.maxTokenBytes()).isEqualTo(8192);
    assertThat(settings.cacheMaxEntries()).isEqualTo(10_000);
    assertThat(settings.cacheTtlSeconds()).isEqualTo(60);
    assertThat(settings.jwksRefreshSeconds()).isEqualTo(3600);
    assertThat(settings.jwksMinRefreshSeconds()).isEqualTo(30);
    assertThat(settings.endpointKeys()).isEmpty();
  }

  @Test
  void providersFromTheEnvironmentsJsonTextOrAFilesArray() {
    OidcProvider expected = new OidcProvider("google", "https://accounts.google.com", "client",
        "https://www.googleapis.com/oauth2/v3/certs");
    assertThat(TokenSettings.from(new JsonObject().put("oidc_providers", "[" + PROVIDER + "]")).oidcProviders())
        .containsExactly(expected);
    assertThat(TokenSettings.from(new JsonObject().put("oidc_providers", new JsonArray("[" + PROVIDER + "]")))
        .oidcProviders()).containsExactly(expected);
  }

  @Test
  void refusesBadProviderLists() {
    for (String bad : new String[] {"not json", "{}", "[1]", "[{\"name\":\"x\"}]",
        "[" + PROVIDER.replace("https://www.googleapis.com", "ftp://x") + "]",
        "[" + PROVIDER.replace("\"google\"", "\"has:colon\"") + "]",
        "[" + PROVIDER + "," + PROVIDER + "]"}) {
      assertThatThrownBy(() -> TokenSettings.from(new JsonObject().put("oidc_providers", bad)))
          .as(bad).isInstanceOf(SettingException.class).hasMessageContaining("SYNCLINE_OIDC_PROVIDERS");
    }
  }

  @Test
  void aShortSecretIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> TokenSettings.from(new JsonObject().put("jwt_secret", "short-secret-value")))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("SYNCLINE_JWT_SECRET")
        .hasMessageNotContaining("short-secret-value");
  }

  @Test
  void endpointKeysParseInOrder() {
    TokenSettings settings = TokenSettings.from(new JsonObject()
        .put("push_endpoint_keys", TestConfig.ENDPOINT_KEY_2 + ", " + TestConfig.ENDPOINT_KEY_1));
    assertThat(settings.endpointKeys()).extracting(k -> k.id()).containsExactly(2, 1);
    assertThat(settings.toString()).doesNotContain("MjIy").doesNotContain("MTEx");
  }

  @Test
  void badEndpointKeysAreRefusedWithoutEchoingThem() {
    for (String bad : new String[] {"MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE", "256:MTExMTExMTExMTExMTExMTExMTEx"
        + "MTExMTExMTExMTE", "1:c2hvcnQ", "x:MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE",
        TestConfig.ENDPOINT_KEY_1 + "," + TestConfig.ENDPOINT_KEY_1}) {
      assertThatThrownBy(() -> TokenSettings.from(new JsonObject().put("push_endpoint_keys", bad)))
          .as(bad).isInstanceOf(SettingException.class)
          .hasMessageContaining("SYNCLINE_PUSH_ENDPOINT_KEYS")
          .hasMessageNotContaining("MTEx");
    }
  }

  @Test
  void rangesNameTheirVariable() {
    assertThatThrownBy(() -> TokenSettings.from(new JsonObject().put("max_token_bytes", 10)))
        .hasMessageContaining("SYNCLINE_MAX_TOKEN_BYTES");
    assertThatThrownBy(() -> TokenSettings.from(new JsonObject().put("jwt_leeway_seconds", -1)))
        .hasMessageContaining("SYNCLINE_JWT_LEEWAY_SECONDS");
    assertThatThrownBy(() -> TokenSettings.from(new JsonObject().put("auth_cache_max_entries", "many")))
        .hasMessageContaining("SYNCLINE_AUTH_CACHE_MAX_ENTRIES");
    assertThatThrownBy(() -> TokenSettings.from(new JsonObject().put("jwt_principal_prefix", "a b")))
        .hasMessageContaining("SYNCLINE_JWT_PRINCIPAL_PREFIX");
  }

  @Test
  void toStringNeverShowsTheSecret() {
    TokenSettings settings = TokenSettings.from(new JsonObject().put("jwt_secret", Tokens.SECRET));
    assertThat(settings.toString()).doesNotContain(Tokens.SECRET).contains("(set)");
  }
}
