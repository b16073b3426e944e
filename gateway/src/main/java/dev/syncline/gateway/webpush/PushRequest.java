package dev.syncline.gateway.webpush;

import dev.syncline.contracts.bus.PushStoreBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** Reads the headers and body of a Web Push request (RFC 8030, 8291) into the message to store, or refuses it. */
final class PushRequest {
  private PushRequest() {
  }

  /** {@code {ttl, topic?, data?, headers?}}; the payload is passed on as it came, never decrypted. */
  static JsonObject read(HttpServerRequest request, Buffer body, WebPushSettings settings) {
    JsonObject message = new JsonObject().put(PushStoreBus.TTL, ttl(request.getHeader("TTL"), settings));
    String topic = request.getHeader("Topic");
    if (topic != null) {
      if (!WebPushRoutes.validTopic(topic)) {
        throw invalid("Topic must be 1 to 32 characters of the base64url alphabet");
      }
      message.put(PushStoreBus.TOPIC, topic);
    }
    String urgency = request.getHeader("Urgency");
    if (urgency != null && !WebPushRoutes.validUrgency(urgency)) {
      throw invalid("Urgency must be very-low, low, normal or high");
    }
    if (body == null || body.length() == 0) {
      return message;
    }
    if (body.length() > settings.maxMessageBytes()) {
      throw new SynclineException(ErrorCode.BODY_TOO_LARGE,
          "Message body over " + settings.maxMessageBytes() + " bytes");
    }
    message.put(PushStoreBus.DATA, WebPushRoutes.base64Url(body));
    message.put(PushStoreBus.HEADERS, encryptionHeaders(request));
    return message;
  }

  private static int ttl(String header, WebPushSettings settings) {
    if (header == null || header.isBlank()) {
      throw new SynclineException(ErrorCode.MISSING_PARAMETER, "The TTL header is required");
    }
    long ttl;
    try {
      ttl = Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      throw invalid("TTL must be a whole number of seconds");
    }
    if (ttl < 0) {
      throw invalid("TTL must not be negative");
    }
    return (int) Math.min(ttl, settings.maxTtlSeconds());
  }

  private static JsonObject encryptionHeaders(HttpServerRequest request) {
    String encoding = request.getHeader("Content-Encoding");
    if (encoding == null) {
      throw invalid("A message with a body needs Content-Encoding: aes128gcm (or aesgcm)");
    }
    encoding = encoding.trim().toLowerCase(Locale.ROOT);
    JsonObject headers = new JsonObject().put("encoding", encoding);
    switch (encoding) {
      case "aes128gcm" -> {
        // RFC 8291: everything the receiver needs is in the body's header block.
      }
      case "aesgcm" -> {
        String encryption = request.getHeader("Encryption");
        String cryptoKey = request.getHeader("Crypto-Key");
        if (encryption == null || !encryption.contains("salt=")) {
          throw invalid("aesgcm needs an Encryption header with salt");
        }
        if (cryptoKey == null || !cryptoKey.contains("dh=")) {
          throw invalid("aesgcm needs a Crypto-Key header with dh");
        }
        headers.put("encryption", encryption).put("crypto_key", cryptoKey);
      }
      default -> throw invalid("Content-Encoding must be aes128gcm or aesgcm");
    }
    return headers;
  }

  private static SynclineException invalid(String message) {
    return new SynclineException(ErrorCode.INVALID_PARAMETERS, message);
  }
}
