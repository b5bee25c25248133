package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.store.KeyKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that hangs up while the upstream is still thinking cancels the upstream request, so the
 * provider stops working (and billing) for no one. The client is a raw socket, so "hanging up" is
 * exactly a TCP close and nothing else.
 */
class CancellationTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void resetMock() {
    gateway.mock().resetStats();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void hangingUpDuringTheFirstByteDelayCancelsTheUpstreamRequest(boolean stream) throws IOException {
    String key = gateway.app.keys().create("it-cancel-" + stream, KeyKind.INFERENCE).plaintext();
    // Far longer than the test waits: an upstream request that was not cancelled is still open.
    String json = body("Think hard #mock:delay=10000", stream ? StreamingTest.STREAM : "");

    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      send(socket, json, key);
      assertThat(eventually(Duration.ofSeconds(5), () -> gateway.mock().stats().requests() == 1))
          .as("request reached the upstream").isTrue();
    }

    assertThat(eventually(Duration.ofSeconds(5), () -> gateway.mock().stats().requestsAbandoned() == 1))
        .as("upstream request cancelled; stats %s", gateway.mock().stats()).isTrue();
    assertThat(eventually(Duration.ofSeconds(5), () -> "cancelled".equals(statusOfOnlyGeneration(key))))
        .as("generation recorded as cancelled, was %s", statusOfOnlyGeneration(key)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aClientThatStaysGetsItsAnswerAfterTheDelay(boolean stream) throws IOException {
    // The control for the test above: the same delay, shorter, with a patient client.
    String json = body("Think a little #mock:delay=300", stream ? StreamingTest.STREAM : "");

    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      send(socket, json, gateway.key);
      String response = readUntil(socket.getInputStream(), stream ? "[DONE]" : "\"usage\"");

      assertThat(response).startsWith("HTTP/1.1 200");
    }
    assertThat(gateway.mock().stats().requestsAbandoned()).isZero();
  }

  private static void send(Socket socket, String json, String key) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "POST /api/v1/chat/completions HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n"
        + "Authorization: Bearer " + key + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static String readUntil(InputStream in, String marker) throws IOException {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    int n;
    while (!seen.toString().contains(marker) && (n = in.read(buffer)) > 0) {
      seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
    }
    return seen.toString();
  }

  /** The status of the one generation made with {@code key}, or null while there is none. */
  private static String statusOfOnlyGeneration(String key) {
    var rows = gateway.generationsOfKey(key);
    return rows.isEmpty() ? null : rows.size() > 1 ? "more than one row" : (String) rows.getFirst().get("status");
  }
}
