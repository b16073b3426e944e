package dev.syncline.push.connection;

/** Why the server closed a push WebSocket. Clients reconnect after every one of them except {@link #PING_TOO_OFTEN}. */
public final class CloseCodes {
  /** The node is stopping, or the client did not answer a ping. */
  public static final short GOING_AWAY = 1001;
  /** A message out of protocol: before hello, a second hello, an unknown type, a malformed channel id. */
  public static final short PROTOCOL_ERROR = 1002;
  /** A binary frame. */
  public static final short UNSUPPORTED_DATA = 1003;
  /** Text that is not a JSON object. */
  public static final short INVALID_PAYLOAD = 1007;
  /** Too many channels, or a client that does not keep up with its messages. */
  public static final short POLICY_VIOLATION = 1008;
  /** A message over {@code SYNCLINE_PUSH_MAX_FRAME_BYTES}. */
  public static final short TOO_BIG = 1009;
  /** The server could not serve the request (storage unavailable); retrying later works. */
  public static final short TRY_AGAIN_LATER = 1013;
  /** A newer connection of the same uaid took over, on this node or another. */
  public static final short REPLACED = 4000;
  /** No hello within {@code SYNCLINE_PUSH_HELLO_TIMEOUT_SECONDS}. */
  public static final short HELLO_TIMEOUT = 4008;
  /** Client pings closer together than {@code SYNCLINE_PUSH_MIN_PING_INTERVAL_SECONDS}: do not reconnect soon. */
  public static final short PING_TOO_OFTEN = 4774;

  private CloseCodes() {
  }
}
