package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md "Dependency rules", checked on the sources the way Caffeine checks style at build time
 * rather than in review:
 *
 * <ul>
 *   <li>{@code core} uses nothing else from the gateway;
 *   <li>a {@code provider.<x>} package uses only {@code core}, {@code provider}, {@code
 *       provider.transport}, {@code config} and {@code provider.openaicompat} (which adapters may
 *       extend), never another concrete provider;
 *   <li>nothing outside {@code provider.*} and {@code app} uses a concrete provider package;
 *   <li>{@code mock} uses nothing else from the gateway.
 * </ul>
 *
 * <p>A "use" is an {@code import} line or a fully qualified name in code (comments and string
 * literals are stripped first), so a qualified name cannot slip past the rule that an import
 * would break. Packages are named below relative to {@code dev.switchboard}.
 */
class DependencyRulesTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/switchboard");
  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.switchboard((?:\\.[a-z][a-z0-9_]*)*)");
  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+dev\\.switchboard((?:\\.[a-z][a-z0-9_]*)*)\\s*;",
      Pattern.MULTILINE);

  /** The shared provider plumbing; every other {@code provider.<x>} is a concrete provider. */
  private static final String TRANSPORT = "provider.transport";

  private static final Set<String> PROVIDER_MAY_USE =
      Set.of("core", "config", "provider", TRANSPORT, "provider.openaicompat");

  /** One package using another, found at a place in a file. */
  record Use(String from, String to, String where) {}

  @Test
  void sourcesFollowTheDependencyRules() throws IOException {
    List<Use> uses = uses();
    List<String> violations = new ArrayList<>();
    for (Use use : uses) {
      violation(use.from(), use.to()).ifPresent(why -> violations.add(use.where() + ": " + why));
    }
    assertThat(violations).as("dependency rule violations (STYLE.md)").isEmpty();
  }

  @Test
  void theScanSeesTheCodebase() throws IOException {
    // Guards against a scan that silently finds nothing (wrong working directory, broken regex).
    Set<String> edges = new TreeSet<>();
    for (Use use : uses()) {
      edges.add(use.from() + " -> " + use.to());
    }
    assertThat(edges).contains(
        "app -> provider.openai",
        "provider.openai -> provider.openaicompat",
        "routing -> provider",
        "http -> http.openai",
        "store -> store.sqlite");
    assertThat(edges).noneMatch(edge -> edge.startsWith("core -> "));
  }

  @Test
  void rulesCatchTheViolationsTheyDescribe() {
    assertThat(violation("core", "config")).isPresent();
    assertThat(violation("core", "core")).isEmpty();
    assertThat(violation("provider.anthropic", "provider.openai")).isPresent();
    assertThat(violation("provider.anthropic", "routing")).isPresent();
    assertThat(violation("provider.anthropic", "provider.openaicompat")).isEmpty();
    assertThat(violation("provider.anthropic.wire", "provider.anthropic")).isEmpty();
    assertThat(violation("provider.openai", "config")).isEmpty();
    assertThat(violation(TRANSPORT, "http")).isPresent();
    assertThat(violation("routing", "provider.openaicompat")).isPresent();
    assertThat(violation("http", "provider.anthropic")).isPresent();
    assertThat(violation("provider", "provider.openai")).isPresent();
    assertThat(violation("routing", TRANSPORT)).isEmpty();
    assertThat(violation("app", "provider.openai")).isEmpty();
    assertThat(violation("app.cli", "provider.openai")).isEmpty();
    assertThat(violation("mock", "core")).isPresent();
    assertThat(violation("mock", "mock")).isEmpty();
  }

  @Test
  void commentsAndStringsAreNotUses() {
    String code = """
        /** See {@link dev.switchboard.routing.RoutePlanner}. */
        class A {
          // dev.switchboard.http.Routes
          String s = "dev.switchboard.app.Main";
          String t = \"""
              dev.switchboard.store.Database
              \""";
          char c = '"';
          dev.switchboard.core.Usage usage;
        }
        """;
    List<String> found = new ArrayList<>();
    Matcher m = REFERENCE.matcher(stripCommentsAndStrings(code));
    while (m.find()) {
      found.add(m.group(1).substring(1));
    }
    assertThat(found).containsExactly("core");
  }

  /** Why {@code from} may not use {@code to}, or empty when it may. */
  static Optional<String> violation(String from, String to) {
    if (within(from, to) || within(to, from) && !isConcreteProvider(to)) {
      return Optional.empty(); // itself, a parent, or a sub-package that is not a concrete provider
    }
    if (within(from, "core")) {
      return Optional.of("core must not use anything else from the gateway, but uses " + to);
    }
    if (within(from, "mock")) {
      return Optional.of("mock must not use anything else from the gateway, but uses " + to);
    }
    if (from.startsWith("provider.")) {
      String own = "provider." + from.split("\\.")[1];
      if (within(to, own) || PROVIDER_MAY_USE.contains(to)) {
        return Optional.empty();
      }
      return Optional.of(from + " may use only core, config, provider, provider.transport and"
          + " provider.openaicompat, but uses " + to);
    }
    if (isConcreteProvider(to) && !within(from, "app")) {
      return Optional.of("only app and provider packages may use a concrete provider, but " + from + " uses " + to);
    }
    return Optional.empty();
  }

  private static boolean isConcreteProvider(String pkg) {
    return pkg.startsWith("provider.") && !within(pkg, TRANSPORT);
  }

  /** Whether {@code pkg} is {@code parent} or one of its sub-packages. */
  private static boolean within(String pkg, String parent) {
    return pkg.equals(parent) || pkg.startsWith(parent + ".");
  }

  private static List<Use> uses() throws IOException {
    assertThat(SOURCES).as("run from the project directory").isDirectory();
    List<Use> uses = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(file);
        Matcher declared = PACKAGE.matcher(text);
        assertThat(declared.find()).as("%s declares a dev.switchboard package", file).isTrue();
        String from = declared.group(1).substring(1);
        String code = stripCommentsAndStrings(text);
        code = code.substring(0, declared.start()) + " ".repeat(declared.end() - declared.start())
            + code.substring(declared.end());
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
          if (m.group(1).isEmpty()) {
            continue;
          }
          int line = (int) code.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
          uses.add(new Use(from, m.group(1).substring(1), SOURCES.relativize(file) + ":" + line));
        }
      }
    }
    return uses;
  }

  /** The source with comments, string, text-block and char literals blanked (newlines kept). */
  static String stripCommentsAndStrings(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      int end;
      if (source.startsWith("//", i)) {
        end = source.indexOf('\n', i);
        end = end < 0 ? n : end;
      } else if (source.startsWith("/*", i)) {
        end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
      } else if (source.startsWith("\"\"\"", i)) {
        end = source.indexOf("\"\"\"", i + 3);
        while (end > 0 && source.charAt(end - 1) == '\\') {
          end = source.indexOf("\"\"\"", end + 1);
        }
        end = end < 0 ? n : end + 3;
      } else if (c == '"' || c == '\'') {
        end = i + 1;
        while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(n, end + 1);
      } else {
        out.append(c);
        i++;
        continue;
      }
      for (int k = i; k < end; k++) {
        out.append(source.charAt(k) == '\n' ? '\n' : ' ');
      }
      i = end;
    }
    return out.toString();
  }
}
