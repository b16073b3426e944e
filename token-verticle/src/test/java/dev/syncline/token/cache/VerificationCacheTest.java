package dev.syncline.token.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.token.MutableClock;
import dev.syncline.token.auth.Identity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerificationCacheTest {
  static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

  private final MutableClock clock = new MutableClock(NOW);

  private VerificationCache cache(int maxEntries, int ttlSeconds) {
    return new VerificationCache(maxEntries, Duration.ofSeconds(ttlSeconds), clock);
  }

  private static Identity alice(Instant expiresAt) {
    return Identity.of("jwt:alice", expiresAt);
  }

  @Test
  void answersAStoredCredential() {
    VerificationCache cache = cache(10, 60);
    cache.put(TOKEN, alice(NOW.plusSeconds(3600)));
    assertThat(cache.get(TOKEN)).map(Identity::userId).contains("jwt:alice");
    assertThat(cache.get(TOKEN + "x")).isEmpty();
  }

  @Test
  void forgetsAfterItsTtl() {
    VerificationCache cache = cache(10, 60);
    cache.put(TOKEN, alice(NOW.plusSeconds(3600)));
    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.get(TOKEN)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get(TOKEN)).isEmpty();
    assertThat(cache.size()).isZero();
  }

  @Test
  void neverAnswersPastTheTokensExpiry() {
    VerificationCache cache = cache(10, 60);
    cache.put(TOKEN, alice(NOW.plusSeconds(10)));
    clock.advance(Duration.ofSeconds(9));
    assertThat(cache.get(TOKEN)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get(TOKEN)).isEmpty();
  }

  @Test
  void doesNotStoreATokenAlreadyPastItsExpiry() {
    VerificationCache cache = cache(10, 60);
    cache.put(TOKEN, alice(NOW.minusSeconds(5)));
    assertThat(cache.size()).isZero();
  }

  @Test
  void dropsTheLeastRecentlyUsedWhenFull() {
    VerificationCache cache = cache(3, 60);
    for (int i = 0; i < 3; i++) {
      cache.put(TOKEN + i, alice(NOW.plusSeconds(3600)));
    }
    assertThat(cache.get(TOKEN + 0)).isPresent();
    cache.put(TOKEN + 3, alice(NOW.plusSeconds(3600)));
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.get(TOKEN + 1)).as("least recently used").isEmpty();
    assertThat(cache.get(TOKEN + 0)).isPresent();
    assertThat(cache.get(TOKEN + 3)).isPresent();
  }

  @Test
  void staysWithinItsBoundUnderManyCredentials() {
    VerificationCache cache = cache(100, 60);
    for (int i = 0; i < 1000; i++) {
      cache.put(TOKEN + i, alice(NOW.plusSeconds(3600)));
    }
    assertThat(cache.size()).isEqualTo(100);
  }

  @Test
  void keepsAKeyedHashNotTheCredential() {
    VerificationCache cache = cache(10, 60);
    VerificationCache other = cache(10, 60);
    cache.put(TOKEN, alice(NOW.plusSeconds(3600)));
    other.put(TOKEN, alice(NOW.plusSeconds(3600)));
    assertThat(cache.storedKeys()).hasSize(1);
    String stored = cache.storedKeys().iterator().next();
    assertThat(stored).doesNotContain(TOKEN).doesNotContain(TOKEN.split("\\.")[2]);
    assertThat(stored).isNotEqualTo(plainSha256(TOKEN));
    assertThat(other.storedKeys()).as("a per-process random key").doesNotContain(stored);
  }

  @Test
  void zeroEntriesOrZeroTtlTurnsItOff() {
    VerificationCache none = cache(0, 60);
    VerificationCache instant = cache(10, 0);
    none.put(TOKEN, alice(NOW.plusSeconds(3600)));
    instant.put(TOKEN, alice(NOW.plusSeconds(3600)));
    assertThat(none.get(TOKEN)).isEmpty();
    assertThat(instant.get(TOKEN)).isEmpty();
  }

  private static String plainSha256(String text) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
