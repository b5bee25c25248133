package dev.switchboard.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.provider.transport.SseReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends an adapter's encoded request to a {@code MockUpstream} over real HTTP and hands back what
 * the adapter's decoders see, so a test can check that the mock takes what the encoder writes
 * and the decoders read what the mock answers.
 */
public final class MockExchange implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * POSTs {@code body} to {@code url} with {@code headers}.
   *
   * @return the response as the transport would hand it to the adapter (header names lower-case)
   */
  public UpstreamResponse post(String url, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> names = new HashMap<>();
      response.headers().map().forEach((name, values) -> names.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
      return new UpstreamResponse(response.statusCode(), names, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Frames a whole SSE body and runs it through {@code decoder}, {@code onEnd} included. */
  public static List<StreamEvent> decode(byte[] sse, StreamDecoder decoder) {
    SseReader reader = SseReader.create();
    List<Frame> frames = new ArrayList<>(reader.feed(sse));
    frames.addAll(reader.finish());
    List<StreamEvent> events = new ArrayList<>();
    frames.forEach(frame -> events.addAll(decoder.onFrame(frame)));
    events.addAll(decoder.onEnd());
    return events;
  }

  /** {@code body} (a JSON object) with {@code stream} set or removed. */
  public static byte[] withStream(byte[] body, boolean stream) {
    try {
      ObjectNode root = (ObjectNode) CanonicalJson.JSON.readTree(body);
      if (stream) {
        root.put("stream", true);
      } else {
        root.remove("stream");
      }
      return CanonicalJson.JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
