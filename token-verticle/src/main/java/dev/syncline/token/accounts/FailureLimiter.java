package dev.syncline.token.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts password failures per key (an account id, a client address) in fixed windows that start at the first
 * failure. Once a key reaches the limit it stays locked until its window ends, whatever it sends: a correct
 * password found by guessing must not get through either. Bounded, least recently touched key dropped first, so a
 * flood of made-up ids cannot grow it without end. Not thread-safe: it belongs to the token verticle's context.
 */
final class FailureLimiter {
  private static final int MAX_KEYS = 100_000;

  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
      return size() > MAX_KEYS;
    }
  };

  private record Window(Instant start, int failures) {
  }

  FailureLimiter(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** Seconds until this key may try again; 0 when it may now. */
  long lockedFor(String key) {
    Window current = current(key);
    return current != null && current.failures() >= limit ? secondsLeft(current) : 0;
  }

  /** Counts one failure; returns how long the key is now locked for, 0 while it is still under the limit. */
  long fail(String key) {
    Window current = current(key);
    Window next = current == null ? new Window(clock.instant(), 1) : new Window(current.start(), current.failures() + 1);
    windows.put(key, next);
    return next.failures() >= limit ? secondsLeft(next) : 0;
  }

  void reset(String key) {
    windows.remove(key);
  }

  private Window current(String key) {
    Window current = windows.get(key);
    if (current != null && !clock.instant().isBefore(current.start().plus(window))) {
      windows.remove(key);
      return null;
    }
    return current;
  }

  private long secondsLeft(Window locked) {
    long millis = Duration.between(clock.instant(), locked.start().plus(window)).toMillis();
    return Math.max(1, (millis + 999) / 1000);
  }
}
