package dev.syncline.it.push;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Firefox run headless on a profile of its own, pointed at a push server and kept off the internet. There is no
 * WebDriver: the page it opens does the work and reports over HTTP. Its stdout and stderr (with the push
 * service's debug log) go to one file per run.
 */
final class HeadlessFirefox implements AutoCloseable {
  private final Path binary;
  private final Path home;
  private final Path profile;
  private Process process;
  private Path log;
  private int runs;

  private HeadlessFirefox(Path binary, Path home) {
    this.binary = binary;
    this.home = home;
    this.profile = home.resolve("profile");
  }

  /** firefox-esr or firefox from the PATH, if either is installed. */
  static Optional<Path> find() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : List.of("firefox-esr", "firefox")) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** A fresh profile in {@code home}, its prefs pointing push at {@code pushServerUrl}. */
  static HeadlessFirefox withFreshProfile(Path binary, Path home, String pushServerUrl) throws IOException {
    HeadlessFirefox firefox = new HeadlessFirefox(binary, home);
    Files.createDirectories(firefox.profile);
    Files.writeString(firefox.profile.resolve("user.js"), userJs(pushServerUrl), StandardCharsets.UTF_8);
    return firefox;
  }

  /** Starts Firefox on the profile, opening {@code url}; every start keeps what the earlier ones stored. */
  void start(String url) throws IOException {
    Path logs = Files.createDirectories(Path.of("target", "firefox-logs"));
    log = logs.resolve("firefox-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-run" + ++runs
        + ".log");
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--headless", "--no-remote", "--profile",
        profile.toString(), url)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // HOME keeps Firefox's caches and any ~/.mozilla out of the real home; no crash reporter, no safe-mode
    // question after an unclean stop.
    builder.environment().put("HOME", home.toString());
    builder.environment().put("MOZ_CRASHREPORTER_DISABLE", "1");
    builder.environment().put("MOZ_DISABLE_AUTO_SAFE_MODE", "1");
    process = builder.start();
  }

  /** Closes Firefox as a user would (SIGTERM lets it shut down cleanly), forcibly after 30 s. */
  void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
    // Content processes leave with their parent; make sure none outlives the run either way.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process = null;
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  /** What Firefox printed in its latest run, for a failure message. */
  String output() {
    if (log == null) {
      return "(Firefox was not started)";
    }
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      kill();
      process = null;
    }
  }

  private void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  private static String userJs(String pushServerUrl) {
    Map<String, Object> prefs = new LinkedHashMap<>();
    // Push through the node under test; ws:// is refused unless insecure server URLs are allowed for testing.
    prefs.put("dom.push.serverURL", pushServerUrl);
    prefs.put("dom.push.testing.allowInsecureServerURL", true);
    prefs.put("dom.push.enabled", true);
    prefs.put("dom.push.connection.enabled", true);
    prefs.put("dom.push.testing.ignorePermission", true);
    prefs.put("dom.push.loglevel", "All");
    prefs.put("dom.serviceWorkers.enabled", true);
    prefs.put("dom.serviceWorkers.testing.enabled", true);
    // subscribe() asks for the notification permission; nobody can click "Allow" in a headless run.
    prefs.put("permissions.default.desktop-notification", 1);
    // Console messages (chrome and page) and dump() go to stdout, where the log file catches them.
    prefs.put("browser.dom.window.dump.enabled", true);
    prefs.put("devtools.console.stdout.chrome", true);
    prefs.put("devtools.console.stdout.content", true);
    // No first-run pages, no restored session, no second visit of the page by the thumbnail service (it loads
    // visited sites in a container of its own, which subscribes and unsubscribes there).
    prefs.put("browser.shell.checkDefaultBrowser", false);
    prefs.put("browser.startup.homepage_override.mstone", "ignore");
    prefs.put("browser.startup.page", 0);
    prefs.put("browser.aboutwelcome.enabled", false);
    prefs.put("browser.newtabpage.enabled", false);
    prefs.put("browser.pagethumbnails.capturing_disabled", true);
    prefs.put("browser.sessionstore.resume_from_crash", false);
    prefs.put("toolkit.startup.max_resumed_crashes", -1);
    prefs.put("browser.tabs.crashReporting.sendReport", false);
    // Nothing phones home: this machine has no internet, and a test must not wait for it or depend on it.
    prefs.put("datareporting.policy.dataSubmissionEnabled", false);
    prefs.put("datareporting.policy.firstRunURL", "");
    prefs.put("datareporting.healthreport.uploadEnabled", false);
    prefs.put("toolkit.telemetry.enabled", false);
    prefs.put("toolkit.telemetry.server", "");
    prefs.put("browser.ping-centre.telemetry", false);
    prefs.put("app.update.enabled", false);
    prefs.put("app.update.auto", false);
    prefs.put("app.normandy.enabled", false);
    prefs.put("app.shield.optoutstudies.enabled", false);
    prefs.put("extensions.update.enabled", false);
    prefs.put("extensions.getAddons.cache.enabled", false);
    prefs.put("extensions.blocklist.enabled", false);
    prefs.put("extensions.systemAddon.update.enabled", false);
    // Remote settings poll a closed local port, so they fail at once instead of waiting on DNS.
    prefs.put("services.settings.server", "http://127.0.0.1:1/");
    prefs.put("browser.safebrowsing.malware.enabled", false);
    prefs.put("browser.safebrowsing.phishing.enabled", false);
    prefs.put("browser.safebrowsing.downloads.enabled", false);
    prefs.put("browser.safebrowsing.blockedURIs.enabled", false);
    prefs.put("browser.safebrowsing.provider.mozilla.updateURL", "");
    prefs.put("browser.safebrowsing.provider.google4.updateURL", "");
    prefs.put("browser.safebrowsing.provider.google.updateURL", "");
    prefs.put("browser.search.update", false);
    prefs.put("browser.region.network.url", "");
    prefs.put("browser.region.update.enabled", false);
    prefs.put("browser.topsites.contile.enabled", false);
    prefs.put("browser.newtabpage.activity-stream.feeds.system.topstories", false);
    prefs.put("identity.fxaccounts.enabled", false);
    prefs.put("media.gmp-manager.url", "");
    prefs.put("media.gmp-manager.updateEnabled", false);
    prefs.put("security.OCSP.enabled", 0);
    prefs.put("network.proxy.type", 0);
    prefs.put("network.captive-portal-service.enabled", false);
    prefs.put("network.connectivity-service.enabled", false);
    prefs.put("captivedetect.canonicalURL", "");
    prefs.put("network.trr.mode", 5);
    prefs.put("doh-rollout.disable-heuristics", true);
    prefs.put("network.dns.disablePrefetch", true);
    prefs.put("network.prefetch-next", false);
    prefs.put("network.http.speculative-parallel-limit", 0);
    return prefs.entrySet().stream()
        .map(pref -> "user_pref(\"" + pref.getKey() + "\", " + value(pref.getValue()) + ");")
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static String value(Object value) {
    return value instanceof String text ? "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
        : String.valueOf(value);
  }
}
