package dev.syncline.token.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(8_192, 1, 1);

  @Test
  void aHashIsAnArgon2idPhcStringThatVerifiesItsPasswordOnly() {
    String hash = hasher.hash("s3cret password");
    assertThat(hash).startsWith("$argon2id$v=19$m=8192,t=1,p=1$").doesNotContain("s3cret");
    assertThat(hasher.verify("s3cret password", hash)).isTrue();
    assertThat(hasher.verify("s3cret passwore", hash)).isFalse();
    assertThat(hasher.verify("", hash)).isFalse();
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime() {
    assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
  }

  @Test
  void oldParametersKeepVerifying() {
    String strong = new PasswordHasher(16_384, 2, 1).hash("pw");
    assertThat(hasher.verify("pw", strong)).isTrue();
  }

  @Test
  void anythingButOurHashIsRefused() {
    String hash = hasher.hash("pw");
    assertThat(hasher.verify("pw", null)).isFalse();
    assertThat(hasher.verify("pw", "")).isFalse();
    assertThat(hasher.verify("pw", hash.replace("argon2id", "argon2i"))).isFalse();
    assertThat(hasher.verify("pw", hash.replace("m=8192", "m=99999999"))).isFalse();
    assertThat(hasher.verify("pw", hash.substring(0, hash.length() - 2) + "AA")).isFalse();
  }
}
