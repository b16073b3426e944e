package dev.syncline.gateway.accounts;

import dev.syncline.contracts.bus.AccountBus;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.gateway.http.ApiResponse;
import dev.syncline.gateway.http.ErrorMapper;
import dev.syncline.gateway.http.GatewaySettings;
import dev.syncline.gateway.kinto.Authenticator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Kinto accounts API: {@code /v1/accounts} and {@code /v1/accounts/{id}}. An account is read, changed and
 * deleted by its owner ({@code account:{id}}) or an admin ({@code SYNCLINE_ACCOUNT_ADMINS}); anyone may create one
 * while sign-up is on, but never take an existing id. Passwords go to the token verticle to be hashed and are never
 * part of an answer.
 */
public final class AccountRoutes {
  private static final long TIMEOUT_MS = 30_000;
  private static final Pattern ID = Pattern.compile(AccountBus.ID_PATTERN);
  // Argon2 pre-hashes its input, so length costs little; the cap only keeps absurd bodies out of the hasher.
  private static final int MAX_PASSWORD_LENGTH = 1024;
  private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.POST,
      HttpMethod.DELETE);

  private final EventBus bus;
  private final Authenticator authenticator;
  private final ErrorMapper errors;
  private final GatewaySettings settings;

  private record Caller(String userId, JsonArray principals, boolean admin) {
    boolean anonymous() {
      return userId == null;
    }

    boolean owns(String id) {
      return AccountBus.principal(id).equals(userId);
    }
  }

  public AccountRoutes(EventBus bus, Authenticator authenticator, ErrorMapper errors, GatewaySettings settings) {
    this.bus = bus;
    this.authenticator = authenticator;
    this.errors = errors;
    this.settings = settings;
  }

  /** Nothing is mounted when accounts are off: the URLs then answer 404 like any unknown one. */
  public void mount(Router router) {
    if (!settings.accounts()) {
      return;
    }
    router.route("/v1/accounts").handler(ctx -> respond(ctx, null));
    router.route("/v1/accounts/:id").handler(ctx -> respond(ctx, ctx.pathParam("id")));
  }

  private void respond(RoutingContext ctx, String id) {
    HttpMethod method = ctx.request().method();
    Future<ApiResponse> answer;
    try {
      checkMethod(method, id);
      answer = authenticator.caller(ctx.request().getHeader("Authorization"), Authenticator.clientAddress(ctx))
          .map(this::caller)
          .compose(caller -> id == null
              ? onList(method, caller, ctx.body().buffer())
              : onAccount(method, caller, id, ctx.body().buffer()));
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.recover(failure -> Future.succeededFuture(errors.toResponse(failure, 500, method + " " + ctx.request()
            .path())))
        .onSuccess(response -> response.write(ctx));
  }

  private void checkMethod(HttpMethod method, String id) {
    Set<HttpMethod> allowed = id == null ? Set.of(HttpMethod.GET, HttpMethod.POST)
        : Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    if (!allowed.contains(method)) {
      throw new SynclineException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed on this endpoint.");
    }
    if (settings.readonly() && WRITES.contains(method)) {
      throw new SynclineException(ErrorCode.METHOD_NOT_ALLOWED, "The server is in read-only mode.");
    }
  }

  private Caller caller(JsonObject reply) {
    JsonArray principals = reply.getJsonArray(TokenBus.PRINCIPALS, new JsonArray());
    boolean admin = settings.accountAdmins().stream().anyMatch(principals::contains);
    return new Caller(reply.getString(TokenBus.USER_ID), principals, admin);
  }

  private Future<ApiResponse> onList(HttpMethod method, Caller caller, Buffer body) {
    if (method == HttpMethod.POST) {
      JsonObject data = data(body);
      if (!(data.getValue("id") instanceof String id)) {
        throw invalid("data.id", "An account id is required");
      }
      return create(caller, checkedId(id), data);
    }
    requireAuthenticated(caller);
    if (caller.admin()) {
      return call(AccountBus.LIST, new JsonObject())
          .map(reply -> ApiResponse.json(200, new JsonObject().put("data", reply.getJsonArray(AccountBus.DATA))));
    }
    // Everyone else sees the one account they may read: their own, if they are signed in with one.
    if (caller.userId().startsWith(AccountBus.PRINCIPAL_PREFIX)) {
      String own = caller.userId().substring(AccountBus.PRINCIPAL_PREFIX.length());
      return call(AccountBus.GET, new JsonObject().put(AccountBus.ID, own))
          .map(reply -> new JsonArray().add(reply.getJsonObject(AccountBus.DATA)))
          .recover(AccountRoutes::noAccountIsAnEmptyList)
          .map(listed -> ApiResponse.json(200, new JsonObject().put("data", listed)));
    }
    return Future.succeededFuture(ApiResponse.json(200, new JsonObject().put("data", new JsonArray())));
  }

  /** Only a missing account (deleted meanwhile) lists as nothing; any other failure is the answer. */
  private static Future<JsonArray> noAccountIsAnEmptyList(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && ErrorCode.ofErrno(reply.failureCode()).status() == 404) {
      return Future.succeededFuture(new JsonArray());
    }
    return Future.failedFuture(failure);
  }

  private Future<ApiResponse> onAccount(HttpMethod method, Caller caller, String rawId, Buffer body) {
    String id = checkedId(rawId);
    if (method == HttpMethod.PUT) {
      JsonObject data = data(body);
      if (data.containsKey("id") && !id.equals(data.getValue("id"))) {
        throw invalid("data.id", "The id in the body does not match the URL");
      }
      return create(caller, id, data);
    }
    requireOwnerOrAdmin(caller, id);
    JsonObject request = new JsonObject().put(AccountBus.ID, id);
    if (method == HttpMethod.GET) {
      return call(AccountBus.GET, request).map(reply -> answer(200, id, reply));
    }
    if (method == HttpMethod.DELETE) {
      return call(AccountBus.DELETE, request)
          .map(reply -> ApiResponse.json(200, new JsonObject().put("data", reply.getJsonObject(AccountBus.DATA))));
    }
    JsonObject data = data(body);
    request.put(AccountBus.DATA, data);
    Future<JsonObject> withHash = data.containsKey(AccountBus.PASSWORD)
        ? hash(password(data)).map(hash -> request.put(AccountBus.PASSWORD_HASH, hash))
        : Future.succeededFuture(request);
    return withHash.compose(patch -> call(AccountBus.PATCH, patch)).map(reply -> answer(200, id, reply));
  }

  /** PUT and POST: the owner or an admin replaces, anyone else may only sign up a new id. */
  private Future<ApiResponse> create(Caller caller, String id, JsonObject data) {
    String mode;
    if (caller.admin() || caller.owns(id)) {
      mode = AccountBus.MODE_UPSERT;
    } else if (settings.accountSignup()) {
      mode = AccountBus.MODE_CREATE;
    } else {
      requireAuthenticated(caller);
      throw new SynclineException(ErrorCode.FORBIDDEN, "Sign-up is closed: only admins create accounts");
    }
    String password = password(data);
    return hash(password)
        .compose(hash -> call(AccountBus.PUT, new JsonObject()
            .put(AccountBus.ID, id)
            .put(AccountBus.PASSWORD_HASH, hash)
            .put(AccountBus.DATA, data)
            .put(AccountBus.MODE, mode)))
        .map(reply -> answer(reply.getBoolean(AccountBus.CREATED, false) ? 201 : 200, id, reply));
  }

  private Future<String> hash(String password) {
    return call(AccountBus.HASH_PASSWORD, new JsonObject().put(AccountBus.PASSWORD, password))
        .map(reply -> reply.getString(AccountBus.PASSWORD_HASH));
  }

  private ApiResponse answer(int status, String id, JsonObject reply) {
    JsonObject data = reply.getJsonObject(AccountBus.DATA);
    return ApiResponse.json(status, new JsonObject()
            .put("data", data)
            .put("permissions", new JsonObject().put("write", new JsonArray().add(AccountBus.principal(id)))))
        .header("ETag", "\"" + data.getLong("last_modified") + "\"");
  }

  private String password(JsonObject data) {
    if (!(data.getValue(AccountBus.PASSWORD) instanceof String password)) {
      throw invalid("data.password", "A password is required");
    }
    int length = password.codePointCount(0, password.length());
    if (length < settings.accountPasswordMinLength() || length > MAX_PASSWORD_LENGTH) {
      throw invalid("data.password", "A password has " + settings.accountPasswordMinLength() + " to "
          + MAX_PASSWORD_LENGTH + " characters");
    }
    return password;
  }

  private static JsonObject data(Buffer body) {
    if (body == null || body.length() == 0) {
      throw invalid("data", "A body {\"data\": {\"password\": ...}} is required");
    }
    Object parsed;
    try {
      parsed = body.toJsonValue();
    } catch (DecodeException e) {
      throw new SynclineException(ErrorCode.INVALID_JSON, "Invalid JSON in the request body");
    }
    if (!(parsed instanceof JsonObject json) || !(json.getValue("data") instanceof JsonObject data)) {
      throw invalid("data", "A body {\"data\": {\"password\": ...}} is required");
    }
    return data.copy();
  }

  private static String checkedId(String id) {
    if (!ID.matcher(id).matches()) {
      throw new SynclineException(ErrorCode.INVALID_PARAMETERS, "Invalid account id", new JsonArray().add(
          new JsonObject().put("location", "path").put("name", "id")
              .put("description", "letters, digits and _ . @ + -, at most 128")));
    }
    return id;
  }

  private static void requireAuthenticated(Caller caller) {
    if (caller.anonymous()) {
      throw new SynclineException(ErrorCode.MISSING_AUTH, "Please authenticate yourself to use this endpoint.");
    }
  }

  private static void requireOwnerOrAdmin(Caller caller, String id) {
    requireAuthenticated(caller);
    if (!caller.admin() && !caller.owns(id)) {
      throw new SynclineException(ErrorCode.FORBIDDEN, "This account is not yours");
    }
  }

  private static SynclineException invalid(String name, String description) {
    return new SynclineException(ErrorCode.INVALID_PARAMETERS, name + " in body: " + description, new JsonArray()
        .add(new JsonObject().put("location", "body").put("name", name).put("description", description)));
  }

  private Future<JsonObject> call(String address, JsonObject request) {
    return bus.<JsonObject>request(address, request,
            new DeliveryOptions().setSendTimeout(TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> reply.body());
  }
}
