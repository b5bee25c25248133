package dev.switchboard.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The golden fixture tree, {@code src/test/resources/fixtures/<provider>/<case>/}, for
 * parameterized tests: each case directory holds some of the files named in STYLE.md
 * ({@code canonical-request.json}, {@code upstream-request.json}, {@code upstream-response.json},
 * {@code canonical-response.json}, {@code upstream.sse}, {@code events.jsonl}, {@code error.json},
 * {@code status.txt}, {@code headers.json}, {@code expected-error.json}).
 */
public final class Fixtures {
  private Fixtures() {}

  /** One case directory. {@link #toString()} is {@code provider/case}, for test names. */
  public record Fixture(String provider, String name, Path dir) {
    public boolean has(String file) {
      return Files.isRegularFile(dir.resolve(file));
    }

    public byte[] bytes(String file) {
      try {
        return Files.readAllBytes(dir.resolve(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String read(String file) {
      return new String(bytes(file), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return provider + "/" + name;
    }
  }

  /** A JSON response as a provider sends it: {@code body} with status {@code status}. */
  public static UpstreamResponse jsonResponse(int status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new UpstreamResponse(status, Map.of("content-type", "application/json"), bytes);
  }

  public static Path root() {
    URL url = Fixtures.class.getResource("/fixtures");
    if (url == null) {
      throw new IllegalStateException("no fixtures directory on the test classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every case of the providers accepted by {@code provider}, sorted. */
  public static List<Fixture> all(Predicate<String> provider) {
    try (Stream<Path> providers = Files.list(root())) {
      return providers
          .filter(Files::isDirectory)
          .filter(p -> provider.test(p.getFileName().toString()))
          .flatMap(Fixtures::cases)
          .sorted(Comparator.comparing(Fixture::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cases that have every one of {@code files}. */
  public static Stream<Fixture> having(Predicate<String> provider, String... files) {
    return all(provider).stream().filter(f -> Stream.of(files).allMatch(f::has));
  }

  private static Stream<Fixture> cases(Path providerDir) {
    try (Stream<Path> cases = Files.list(providerDir)) {
      String provider = providerDir.getFileName().toString();
      return cases.filter(Files::isDirectory)
          .map(dir -> new Fixture(provider, dir.getFileName().toString(), dir))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
