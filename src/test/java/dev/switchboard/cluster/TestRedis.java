package dev.switchboard.cluster;

import dev.switchboard.config.RedisConfig;
import dev.switchboard.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The Redis server the tests use: {@value #URL_VARIABLE} from the environment, else {@value
 * #DEFAULT_URL} (the local server of the development machines and CI). Each test run writes under
 * its own random key prefix ({@link #freshPrefix}), so runs never see each other's keys; nothing
 * ever flushes the server. Classes that need it are annotated {@link RequiresRedis}.
 */
public final class TestRedis {
  public static final String URL_VARIABLE = "SWITCHBOARD_TEST_REDIS_URL";
  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestRedis() {}

  public static String url() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? DEFAULT_URL : url;
  }

  /** A key prefix no other test run uses: {@code sbtest:<random>:}. */
  public static String freshPrefix() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return "sbtest:" + HexFormat.of().formatHex(bytes) + ":";
  }

  /** A config for the test server under a fresh prefix. */
  public static RedisConfig config() {
    return new RedisConfig(Secret.of(url()), freshPrefix(), Duration.ofMillis(500));
  }

  /** Why the server cannot be used, or empty when it answers PING. */
  static Optional<String> problem() {
    URI uri = URI.create(url());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 2000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[64];
      int n = in.read(reply);
      String text = n <= 0 ? "" : new String(reply, 0, n, StandardCharsets.US_ASCII);
      // A password-protected server answers NOAUTH; Lettuce authenticates with the url's password.
      return text.startsWith("+PONG") || text.startsWith("-NOAUTH") ? Optional.empty()
          : Optional.of("unexpected reply to PING: " + text.strip());
    } catch (IOException e) {
      return Optional.of(url() + ": " + e.getMessage());
    }
  }
}
