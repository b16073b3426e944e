package dev.syncline.token.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.token.auth.AuthFailure;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointTokensTest {
  static final String UAID = "5f0c3a1e9b7d4c2a8e6f1b3d5a7c9e0f";
  static final String CHANNEL = "3c2a6f0e-9d4b-4b1a-8e7f-0a1b2c3d4e5f";
  static final EndpointKey KEY_1 = new EndpointKey(1, filled(1));
  static final EndpointKey KEY_2 = new EndpointKey(2, filled(2));
  static final byte[] HASH = filled(7);

  private static byte[] filled(int value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private static void assertUnknown(EndpointTokens tokens, String token) {
    assertThatThrownBy(() -> tokens.open(token))
        .isInstanceOfSatisfying(AuthFailure.class,
            failure -> assertThat(failure.code()).isEqualTo(ErrorCode.MISSING_RESOURCE));
  }

  @Test
  void roundTripsWithoutAKeyHash() {
    EndpointTokens tokens = new EndpointTokens(List.of(KEY_1));
    String token = tokens.seal(UAID, CHANNEL, Optional.empty());
    assertThat(token).matches("[A-Za-z0-9_-]{82}");
    EndpointTokens.Subscription opened = tokens.open(token);
    assertThat(opened.uaid()).isEqualTo(UAID);
    assertThat(opened.channelId()).isEqualTo(CHANNEL);
    assertThat(opened.vapidKeyHash()).isEmpty();
  }

  @Test
  void roundTripsWithAKeyHash() {
    EndpointTokens tokens = new EndpointTokens(List.of(KEY_1));
    String token = tokens.seal(UAID, CHANNEL, Optional.of(HASH));
    assertThat(token).matches("[A-Za-z0-9_-]{124}");
    assertThat(tokens.open(token).vapidKeyHash()).hasValueSatisfying(hash -> assertThat(hash).isEqualTo(HASH));
  }

  @Test
  void theSameSubscriptionSealsDifferentlyEachTime() {
    EndpointTokens tokens = new EndpointTokens(List.of(KEY_1));
    assertThat(tokens.seal(UAID, CHANNEL, Optional.empty())).isNotEqualTo(tokens.seal(UAID, CHANNEL, Optional.empty()));
  }

  @Test
  void doesNotRevealTheSubscription() {
    String token = new EndpointTokens(List.of(KEY_1)).seal(UAID, CHANNEL, Optional.empty());
    String raw = new String(Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(raw).doesNotContain(UAID).doesNotContain(CHANNEL);
  }

  @Test
  void aChangeToAnyByteIsRefused() {
    EndpointTokens tokens = new EndpointTokens(List.of(KEY_1));
    byte[] raw = Base64.getUrlDecoder().decode(tokens.seal(UAID, CHANNEL, Optional.of(HASH)));
    for (int i = 0; i < raw.length; i++) {
      byte[] tampered = raw.clone();
      tampered[i] ^= 0x01;
      assertUnknown(tokens, Base64.getUrlEncoder().withoutPadding().encodeToString(tampered));
    }
  }

  @Test
  void truncatedMalformedAndEmptyTokensAreRefused() {
    EndpointTokens tokens = new EndpointTokens(List.of(KEY_1));
    String token = tokens.seal(UAID, CHANNEL, Optional.empty());
    assertUnknown(tokens, token.substring(0, token.length() - 1));
    assertUnknown(tokens, token.substring(0, 40));
    assertUnknown(tokens, token + "AAAA");
    assertUnknown(tokens, "");
    assertUnknown(tokens, null);
    assertUnknown(tokens, "not*base64!");
  }

  @Test
  void aTokenSealedElsewhereIsRefused() {
    String foreign = new EndpointTokens(List.of(EndpointTokens.randomKey())).seal(UAID, CHANNEL, Optional.empty());
    assertUnknown(new EndpointTokens(List.of(new EndpointKey(0, filled(9)))), foreign);
  }

  @Test
  void keysRotate() {
    String old = new EndpointTokens(List.of(KEY_1)).seal(UAID, CHANNEL, Optional.empty());
    EndpointTokens rotated = new EndpointTokens(List.of(KEY_2, KEY_1));
    assertThat(rotated.open(old).uaid()).as("old tokens still open").isEqualTo(UAID);
    String fresh = rotated.seal(UAID, CHANNEL, Optional.empty());
    assertThat(Base64.getUrlDecoder().decode(fresh)[0]).as("the first key seals").isEqualTo((byte) 2);
    EndpointTokens retired = new EndpointTokens(List.of(KEY_2));
    assertThat(retired.open(fresh).channelId()).isEqualTo(CHANNEL);
    assertUnknown(retired, old);
  }

  @Test
  void refusesToSealMalformedIds() {
    EndpointTokens tokens = new EndpointTokens(List.of(KEY_1));
    for (String[] bad : new String[][] {{UAID.toUpperCase(), CHANNEL}, {"abc", CHANNEL}, {null, CHANNEL},
        {UAID, CHANNEL.toUpperCase()}, {UAID, CHANNEL.replace("-", "")}, {UAID, null}}) {
      assertThatThrownBy(() -> tokens.seal(bad[0], bad[1], Optional.empty()))
          .isInstanceOfSatisfying(AuthFailure.class,
              failure -> assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_PARAMETERS));
    }
  }
}
