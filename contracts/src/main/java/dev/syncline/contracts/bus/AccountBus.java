package dev.syncline.contracts.bus;

/**
 * Accounts: the storage verticle keeps them, the token verticle hashes and checks their passwords, the gateway
 * serves {@code /v1/accounts}. Passwords travel only from the gateway to the token verticle; storage sees hashes.
 *
 * <p>Account ids are {@link #ID_PATTERN}; their principal is {@code account:{id}} ({@link #principal}). Storage
 * replies carry {@link #DATA} {@code {"id", "last_modified", ...extra fields}}, never the hash, except
 * {@link #CREDENTIALS}, which only the token verticle asks.
 */
public final class AccountBus {
  /** Request {@code {"id", "password_hash", "data"?, "mode"}}; reply {@code {"data", "created"}}. */
  public static final String PUT = "syncline.storage.account.put";
  /** Request {@code {"id", "password_hash"?, "data"?}}: changes an existing account; reply {@code {"data"}}. */
  public static final String PATCH = "syncline.storage.account.patch";
  /** Request {@code {"id"}}; reply {@code {"data"}}. Fails with errno 110 when there is no such account. */
  public static final String GET = "syncline.storage.account.get";
  /** Request {@code {"id"}}; reply {@code {"data": {"id", "last_modified", "deleted": true}}}. 110 if absent. */
  public static final String DELETE = "syncline.storage.account.delete";
  /** Request {@code {}}; reply {@code {"data": [...]}}, every account ordered by id. */
  public static final String LIST = "syncline.storage.account.list";
  /** Request {@code {"id"}}; reply {@code {"password_hash"}}. Fails with errno 110 when there is no such account. */
  public static final String CREDENTIALS = "syncline.storage.account.credentials";

  /**
   * Token verticle: request {@code {"password"}}, reply {@code {"password_hash"}} (a PHC string). Runs off the
   * event loop; the password is neither kept nor logged.
   */
  public static final String HASH_PASSWORD = "syncline.token.account.hash";

  /**
   * Published on the clustered bus after an account's password changed or the account went away, {@code {"id"}}:
   * every node's token verticle forgets what it cached for that account.
   */
  public static final String CHANGED = "syncline.accounts.changed";

  public static final String ID = "id";
  public static final String PASSWORD = "password";
  public static final String PASSWORD_HASH = "password_hash";
  public static final String DATA = "data";
  public static final String CREATED = "created";
  public static final String MODE = "mode";
  /** PUT modes: only create (an existing id fails with errno 121), or create or replace. */
  public static final String MODE_CREATE = "create";
  public static final String MODE_UPSERT = "upsert";

  public static final String PRINCIPAL_PREFIX = "account:";
  /** Letters, digits and {@code _ . @ + -}; never a colon, which ends the id in a Basic credential. */
  public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}";

  private AccountBus() {
  }

  public static String principal(String id) {
    return PRINCIPAL_PREFIX + id;
  }
}
