package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.port: 0} with several server instances binds one ephemeral port that all of them
 * share, the one {@code port()} reports, rather than one unreported port per instance.
 *
 * <p>Listening sockets are read from Linux's {@code /proc}; elsewhere the test is skipped.
 */
class EphemeralPortTest {
  @TempDir Path dir;

  @Test
  void portZeroIsOneSharedPortForEveryInstance() {
    assumeThat(Path.of("/proc/self/net/tcp")).exists();
    Set<Integer> before = listeningPorts();

    try (GatewayFixture gateway = GatewayFixture.start(dir, 1,
        env -> GatewayFixture.contractYaml(env, ", instances: 3", ""))) {
      Set<Integer> opened = listeningPorts();
      opened.removeAll(before);
      opened.remove(gateway.mock().port());

      assertThat(opened).containsExactly(gateway.port());
      assertThat(gateway.get("/health/live", null).statusCode()).isEqualTo(200);
    }
  }

  /** Ports of this process's listening TCP sockets: /proc/net/tcp{,6} rows in state 0A, matched to our fds by inode. */
  private static Set<Integer> listeningPorts() {
    Set<String> ourInodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            ourInodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // The fd closed while listing; it is not a listener we care about.
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<Integer> ports = new HashSet<>();
    for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
      try {
        var lines = Files.readAllLines(Path.of(table));
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.trim().split("\\s+");
          if (f[3].equals("0A") && ourInodes.contains(f[9])) {
            String local = f[1];
            ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
          }
        }
      } catch (IOException e) {
        // No IPv6 table on this host.
      }
    }
    return ports;
  }
}
