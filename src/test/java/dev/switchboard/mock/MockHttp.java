package dev.switchboard.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test client for a {@link MockUpstream}: real HTTP over 127.0.0.1. */
final class MockHttp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final MockUpstream mock;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  MockHttp(MockUpstream mock) {
    this.mock = mock;
  }

  HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  /** Like {@link #post}, with the body as bytes (an AWS event stream is binary). */
  HttpResponse<byte[]> postForBytes(String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> chat(String body, String... headers) {
    return post("/v1/chat/completions", body, headers);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + mock.port() + path);
  }

  /** The JSON payloads of an SSE body, {@code [DONE]} included as plain text. */
  static List<String> sseData(String body) {
    List<String> data = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (!event.isBlank()) {
        if (!event.startsWith("data: ")) {
          throw new AssertionError("not an SSE data event: " + event);
        }
        data.add(event.substring("data: ".length()));
      }
    }
    return data;
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A chat request body: one user message, extra top-level JSON fields appended verbatim. */
  static String request(String userText, String extraFields) {
    String message = JSON.getNodeFactory().textNode(userText).toString();
    return "{\"model\":\"mock-gpt\",\"messages\":[{\"role\":\"user\",\"content\":"
        + message
        + "}]"
        + (extraFields.isEmpty() ? "" : "," + extraFields)
        + "}";
  }

  /** A raw HTTP/1.1 exchange, for watching a stream byte by byte and hanging up mid-way. */
  Socket openRaw(String body, String... headerLines) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", mock.port()), 5_000);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n")
            // Close after the response, so a stream the mock ended reads as end-of-file.
            .append("connection: close\r\ncontent-type: application/json\r\ncontent-length: ")
            .append(bytes.length)
            .append("\r\n");
    for (String line : headerLines) {
      head.append(line).append("\r\n");
    }
    OutputStream out = socket.getOutputStream();
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
    return socket;
  }

  /** Reads until {@code count} SSE data events have arrived; returns everything read. */
  static String readEvents(InputStream in, int count) throws IOException {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (occurrences(seen, "data: ") < count) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new AssertionError("connection ended after: " + seen);
      }
      seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
    }
    return seen.toString();
  }

  static int occurrences(CharSequence text, String needle) {
    int count = 0;
    for (int i = text.toString().indexOf(needle);
        i >= 0;
        i = text.toString().indexOf(needle, i + 1)) {
      count++;
    }
    return count;
  }

  @Override
  public void close() {
    client.close();
  }
}
