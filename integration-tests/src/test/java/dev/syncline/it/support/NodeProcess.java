package dev.syncline.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A node run from the built jar as its own operating-system process, as a user would run it. */
public final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java -jar syncline.jar args...} with the given environment; stdout and stderr go to a file. */
  public static NodeProcess start(String name, Map<String, String> env, String... args) {
    try {
      Path logDir = Files.createDirectories(Path.of("target", "node-logs"));
      Path log = logDir.resolve(name + "-" + System.nanoTime() + ".log");
      List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar().toString()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(key -> key.startsWith("SYNCLINE_"));
      builder.environment().putAll(env);
      return new NodeProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path jar() {
    String path = System.getProperty("syncline.jar");
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException("syncline.jar not found at " + path + ": run the tests with mvn verify, which"
          + " builds it first");
    }
    return Path.of(path);
  }

  /** SIGKILL: the node gets no chance to leave the cluster or close anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then the exit code, or -1 if the process was still running after {@code limit}. */
  public int terminate(Duration limit) throws InterruptedException {
    process.destroy();
    return waitFor(limit);
  }

  public int waitFor(Duration limit) throws InterruptedException {
    return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
