package dev.switchboard.provider.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on 127.0.0.1 that speaks only HTTP/1.1 and answers everything, the HTTP/2 preface
 * included, as nginx without {@code http2} on its listener does: a 400 and a close. For tests of a
 * provider set to {@code http2: true} in front of a server that cannot speak it.
 */
public final class Http11OnlyServer implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger prefacesRefused = new AtomicInteger();

  private Http11OnlyServer(ServerSocket socket) {
    this.socket = socket;
  }

  public static Http11OnlyServer start() throws IOException {
    Http11OnlyServer server = new Http11OnlyServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    Thread.startVirtualThread(server::serve);
    return server;
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Connections that opened with the HTTP/2 preface ({@code PRI * HTTP/2.0}) and were refused. */
  public int prefacesRefused() {
    return prefacesRefused.get();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        byte[] buffer = new byte[1024];
        int read = connection.getInputStream().read(buffer);
        if (read >= 3 && new String(buffer, 0, 3, StandardCharsets.US_ASCII).equals("PRI")) {
          prefacesRefused.incrementAndGet();
        }
        connection.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
