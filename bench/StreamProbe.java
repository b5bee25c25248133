import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Times paced SSE streams as a client sees them: time to the first event with generated text (TTFT) and
 * the gaps between consecutive text events, over {@code streams} requests on {@code concurrency} kept-alive
 * connections. Run with the JDK's source launcher (no build): {@code java bench/StreamProbe.java HOST PORT
 * PATH BEARER BODY STREAMS CONCURRENCY}. Prints one line: {@code PROBE n errors ttft_p50 ttft_p99 gap_p50
 * gap_p99 events} (milliseconds).
 *
 * <p>Plain sockets and a minimal HTTP/1.1 reader (chunked or Content-Length bodies), so the probe adds no
 * buffering of its own between the wire and the timestamps.
 */
public final class StreamProbe {
  record Sample(double ttftMs, List<Double> gapsMs, int events) {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String path = args[2];
    String bearer = args[3];
    byte[] body = args[4].getBytes(StandardCharsets.UTF_8);
    int streams = Integer.parseInt(args[5]);
    int concurrency = Integer.parseInt(args[6]);
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " + body.length
        + (bearer.isEmpty() ? "" : "\r\nAuthorization: Bearer " + bearer) + "\r\n\r\n";
    byte[] request = concat(head.getBytes(StandardCharsets.US_ASCII), body);

    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    int[] errors = new int[1];
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> runs = new ArrayList<>();
      for (int c = 0; c < concurrency; c++) {
        int share = streams / concurrency + (c < streams % concurrency ? 1 : 0);
        runs.add(pool.submit(() -> {
          Socket socket = null;
          for (int i = 0; i < share; i++) {
            try {
              if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), 5_000);
                socket.setSoTimeout(30_000);
              }
              samples.add(one(socket, request));
            } catch (IOException | RuntimeException e) {
              synchronized (errors) {
                errors[0]++;
              }
              close(socket);
              socket = null;
            }
          }
          close(socket);
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    }
    List<Double> ttft = new ArrayList<>();
    List<Double> gaps = new ArrayList<>();
    long events = 0;
    for (Sample s : samples) {
      ttft.add(s.ttftMs());
      gaps.addAll(s.gapsMs());
      events += s.events();
    }
    Collections.sort(ttft);
    Collections.sort(gaps);
    System.out.printf("PROBE %d %d %.3f %.3f %.3f %.3f %d%n", samples.size(), errors[0], pct(ttft, 50),
        pct(ttft, 99), pct(gaps, 50), pct(gaps, 99), events);
  }

  /** One request on a kept-alive connection; returns when its body has ended. */
  static Sample one(Socket socket, byte[] request) throws IOException {
    InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
    OutputStream out = socket.getOutputStream();
    long sent = System.nanoTime();
    out.write(request);
    out.flush();
    String status = line(in);
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IOException("status: " + status);
    }
    long length = -1;
    boolean chunked = false;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      String lower = h.toLowerCase();
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    EventClock clock = new EventClock(sent);
    if (chunked) {
      while (true) {
        String size = line(in);
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          line(in);
          break;
        }
        clock.feed(in, n);
        line(in);
      }
    } else if (length >= 0) {
      clock.feed(in, length);
    } else {
      throw new IOException("no length and not chunked");
    }
    if (clock.events == 0) {
      throw new IOException("no events");
    }
    return new Sample(clock.firstMs, clock.gaps, clock.events);
  }

  /**
   * Stamps each {@code data:} line that carries generated text ({@code "content":"} followed by at least one
   * character) as its first byte comes off the socket. Role-only and usage events do not count: a gateway may
   * fold the role into the first text event, and the first text is what a user waits for.
   */
  static final class EventClock {
    static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
    final long sent;
    long last;
    int events;
    double firstMs;
    final List<Double> gaps = new ArrayList<>();
    final ByteArrayOutputStream current = new ByteArrayOutputStream(512);
    long lineStartNanos;

    EventClock(long sent) {
      this.sent = sent;
    }

    void feed(InputStream in, long n) throws IOException {
      for (long i = 0; i < n; i++) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("eof in body");
        }
        if (b == '\n') {
          endLine();
          continue;
        }
        if (current.size() == 0) {
          lineStartNanos = System.nanoTime();
        }
        current.write(b);
      }
    }

    private void endLine() {
      byte[] line = current.toByteArray();
      current.reset();
      if (line.length < 5 || line[0] != 'd' || line[1] != 'a' || line[2] != 't' || line[3] != 'a' || line[4] != ':') {
        return;
      }
      int at = indexOf(line, CONTENT);
      if (at < 0 || at + CONTENT.length >= line.length || line[at + CONTENT.length] == '"') {
        return;
      }
      if (events == 0) {
        firstMs = (lineStartNanos - sent) / 1e6;
      } else {
        gaps.add((lineStartNanos - last) / 1e6);
      }
      last = lineStartNanos;
      events++;
    }

    static int indexOf(byte[] hay, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= hay.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (hay[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }

  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("eof");
      }
      if (b != '\r') {
        buf.write(b);
      }
    }
    return buf.toString(StandardCharsets.US_ASCII);
  }

  static double pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  static void close(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
