package dev.syncline.push.live;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may subscribe to and publish on which PubSub channels, and which channels keep a history: an ordered list of
 * rules, the first whose pattern matches a channel deciding for it. A channel no rule matches is refused.
 *
 * <p>A pattern is a dotted channel name whose segments are literals, {@code {id}} (one segment, which must be the
 * user's id for {@code owner} access) or {@code *} (one segment; as the last segment, any number of them).
 */
public final class ChannelRules {
  static final String KEY = "live_channels";
  static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_:@=+-]+(\\.[A-Za-z0-9_:@=+-]+)*");
  static final int MAX_CHANNEL_LENGTH = 200;
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_:@=+-]+");
  private static final String DEFAULT = "[{\"pattern\": \"user.{id}.*\", \"subscribe\": \"owner\", \"publish\": "
      + "\"owner\"}, {\"pattern\": \"public.*\", \"subscribe\": \"everyone\", \"publish\": \"none\"}]";

  /** Who a rule lets in: the user named by the channel, any authenticated user, anyone, nobody. */
  enum Access { OWNER, AUTHENTICATED, EVERYONE, NONE }

  /** One rule; {@code history} messages are kept for {@code historySeconds}, none when 0. */
  record Rule(String pattern, Pattern regex, Access subscribe, Access publish, int history, int historySeconds) {
    boolean allows(Access access, String channel, String userId) {
      return switch (access) {
        case EVERYONE -> true;
        case AUTHENTICATED -> userId != null;
        case NONE -> false;
        case OWNER -> {
          Matcher matcher = regex.matcher(channel);
          yield userId != null && matcher.matches() && matcher.groupCount() > 0 && userId.equals(matcher.group(1));
        }
      };
    }
  }

  private final List<Rule> rules;

  private ChannelRules(List<Rule> rules) {
    this.rules = rules;
  }

  public static ChannelRules from(JsonObject config) {
    Object value = config.getValue(KEY);
    String text = value == null ? DEFAULT : value instanceof JsonArray array ? array.encode() : value.toString();
    JsonArray list;
    try {
      list = new JsonArray(text);
    } catch (DecodeException e) {
      throw ConfigReader.invalid(KEY, text, "a JSON list of {\"pattern\", \"subscribe\", \"publish\", \"history\"?, "
          + "\"history_seconds\"?}");
    }
    List<Rule> rules = new ArrayList<>();
    for (Object item : list) {
      rules.add(rule(item, text));
    }
    return new ChannelRules(List.copyOf(rules));
  }

  private static Rule rule(Object item, String text) {
    if (!(item instanceof JsonObject entry) || !(entry.getValue("pattern") instanceof String pattern)
        || !validPattern(pattern)) {
      throw ConfigReader.invalid(KEY, text, "rules with a \"pattern\" of dotted segments, each letters, digits "
          + "and _:@=+-, or {id} (at most once), or *");
    }
    Access subscribe = access(entry, "subscribe", text, true);
    Access publish = access(entry, "publish", text, false);
    if ((subscribe == Access.OWNER || publish == Access.OWNER) && !pattern.contains("{id}")) {
      throw ConfigReader.invalid(KEY, text, "an {id} segment in a pattern with owner access: " + pattern);
    }
    int history = number(entry, "history", 0, 0, 10_000, text);
    int seconds = number(entry, "history_seconds", 300, 1, 604_800, text);
    return new Rule(pattern, regex(pattern), subscribe, publish, history, seconds);
  }

  /** A segment is whole: {@code user.x{id}} or {@code a*} would be taken literally and never match a channel. */
  private static boolean validPattern(String pattern) {
    int ids = 0;
    for (String segment : pattern.split("\\.", -1)) {
      if ("{id}".equals(segment)) {
        ids++;
      } else if (!"*".equals(segment) && !SEGMENT.matcher(segment).matches()) {
        return false;
      }
    }
    return ids <= 1;
  }

  private static Access access(JsonObject entry, String field, String text, boolean everyoneAllowed) {
    String allowed = everyoneAllowed ? "owner|authenticated|everyone|none" : "owner|authenticated|none";
    if (!(entry.getValue(field, "none") instanceof String name)
        || !List.of(allowed.split("\\|")).contains(name.toLowerCase(Locale.ROOT))) {
      throw ConfigReader.invalid(KEY, text, "\"" + field + "\" one of " + allowed);
    }
    return Access.valueOf(name.toUpperCase(Locale.ROOT));
  }

  private static int number(JsonObject entry, String field, int defaultValue, int min, int max, String text) {
    Object value = entry.getValue(field, defaultValue);
    if (!(value instanceof Integer number) || number < min || number > max) {
      throw ConfigReader.invalid(KEY, text, "\"" + field + "\" an integer from " + min + " to " + max);
    }
    return number;
  }

  private static Pattern regex(String pattern) {
    String[] segments = pattern.split("\\.");
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        regex.append("\\.");
      }
      String segment = segments[i];
      if ("{id}".equals(segment)) {
        regex.append("([^.]+)");
      } else if ("*".equals(segment)) {
        regex.append(i == segments.length - 1 ? ".+" : "[^.]+");
      } else {
        regex.append(Pattern.quote(segment));
      }
    }
    return Pattern.compile(regex.toString());
  }

  /** The rule for a well-formed channel name, if any. */
  Optional<Rule> ruleFor(String channel) {
    return rules.stream().filter(rule -> rule.regex().matcher(channel).matches()).findFirst();
  }

  static boolean wellFormed(String channel) {
    return channel.length() <= MAX_CHANNEL_LENGTH && CHANNEL.matcher(channel).matches();
  }
}
