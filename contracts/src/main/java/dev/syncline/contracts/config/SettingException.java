package dev.syncline.contracts.config;

/** A setting that cannot be used; the message names the environment variable so the operator can fix it. */
public final class SettingException extends IllegalArgumentException {
  public SettingException(String message) {
    super(message);
  }
}
