package dev.syncline.token.cache;

import dev.syncline.token.auth.Identity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers credentials that verified, so that a client sending the same bearer token on every request costs one
 * signature check per TTL instead of one per request.
 *
 * <p>Entries are keyed by an HMAC of the credential under a key made at random for this process: a heap dump
 * shows neither the tokens nor anything that could be checked against a stolen one offline. The least recently
 * used entry goes first when the cache is full. Not thread-safe: one instance belongs to one verticle's context.
 */
public final class VerificationCache {
  private static final String HMAC = "HmacSHA256";

  private final int maxEntries;
  private final Duration ttl;
  private final Clock clock;
  private final SecretKeySpec key;
  private final Map<String, Entry> entries;

  private record Entry(Identity identity, Instant until) {
  }

  public VerificationCache(int maxEntries, Duration ttl, Clock clock) {
    this.maxEntries = maxEntries;
    this.ttl = ttl;
    this.clock = clock;
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.key = new SecretKeySpec(random, HMAC);
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > VerificationCache.this.maxEntries;
      }
    };
  }

  public boolean enabled() {
    return maxEntries > 0 && !ttl.isZero();
  }

  /** The identity remembered for this credential, as long as neither the entry nor the token has expired. */
  public Optional<Identity> get(String credential) {
    if (!enabled()) {
      return Optional.empty();
    }
    String k = keyOf(credential);
    Entry entry = entries.get(k);
    if (entry == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    // The deadline never passes the token's expiry already; the expiry is checked on its own anyway, so that no
    // later change to how deadlines are computed can let the cache extend a token's life.
    if (!now.isBefore(entry.until()) || !now.isBefore(entry.identity().expiresAt())) {
      entries.remove(k);
      return Optional.empty();
    }
    return Optional.of(entry.identity());
  }

  public void put(String credential, Identity identity) {
    if (!enabled()) {
      return;
    }
    Instant now = clock.instant();
    Instant until = now.plus(ttl);
    if (identity.expiresAt().isBefore(until)) {
      until = identity.expiresAt();
    }
    if (now.isBefore(until)) {
      entries.put(keyOf(credential), new Entry(identity, until));
    }
  }

  /** Drops every entry of one user, whatever credential it was cached under; O(size), for rare changes only. */
  public void forget(String userId) {
    entries.values().removeIf(entry -> entry.identity().userId().equals(userId));
  }

  public int size() {
    return entries.size();
  }

  /** The keys as stored; lets tests prove that no credential is kept. */
  public Set<String> storedKeys() {
    return Set.copyOf(entries.keySet());
  }

  String keyOf(String credential) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(mac.doFinal(credential.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
