package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.UpstreamError.Kind;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How transport failures are classified, which decides whether routing tries the next endpoint:
 * a connection the upstream closed under a request ("Broken pipe" while sending, a reset, a close)
 * is a retryable reset, not an unknown failure that ends the request.
 */
class TransportErrorsTest {
  static Object[][] failures() {
    return new Object[][] {
        {new ConnectException("Connection refused"), Kind.CONNECT},
        {new TimeoutException("idle"), Kind.TIMEOUT},
        {new IOException("Broken pipe"), Kind.RESET},
        {new IOException("Connection reset by peer"), Kind.RESET},
        {new HttpClosedException("Connection was closed"), Kind.RESET},
        {new IllegalStateException("something else"), Kind.OTHER},
    };
  }

  @ParameterizedTest
  @MethodSource("failures")
  void classifies(Throwable failure, Kind kind) {
    var error = TransportErrors.classify(failure, "acme", "waiting for the response");

    assertThat(error.kind()).isEqualTo(kind);
    assertThat(error.kind().retryable()).isEqualTo(kind != Kind.OTHER);
    assertThat(error.message()).contains("acme");
  }
}
