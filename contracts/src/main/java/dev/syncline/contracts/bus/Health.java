package dev.syncline.contracts.bus;

/** Every component answers a health probe on its own local address with {@code {"ok": true}} or a failure. */
public final class Health {
  public static final String OK = "ok";
  public static final String DETAIL = "detail";

  private Health() {
  }
}
