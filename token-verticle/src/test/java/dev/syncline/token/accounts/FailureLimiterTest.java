package dev.syncline.token.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.token.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final FailureLimiter limiter = new FailureLimiter(3, Duration.ofSeconds(60), clock);

  @Test
  void theNthFailureLocksUntilTheWindowEnds() {
    assertThat(limiter.fail("alice")).isZero();
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.fail("alice")).isZero();
    assertThat(limiter.lockedFor("alice")).isZero();
    assertThat(limiter.fail("alice")).isEqualTo(50);
    assertThat(limiter.lockedFor("alice")).isEqualTo(50);
    assertThat(limiter.lockedFor("bob")).isZero();
    clock.advance(Duration.ofSeconds(50));
    assertThat(limiter.lockedFor("alice")).isZero();
    assertThat(limiter.fail("alice")).isZero();
  }

  @Test
  void aResetForgetsFailures() {
    limiter.fail("alice");
    limiter.fail("alice");
    limiter.reset("alice");
    assertThat(limiter.fail("alice")).isZero();
  }
}
