package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL storage URL in libpq's URI form, {@code postgresql://[user[:password]@]host[:port][,
 * host2[:port2]…]/database[?param=value&…]} ({@code postgres://} works too), taken apart into what
 * the JDBC driver needs.
 *
 * <p>The credentials are kept out of {@link #jdbcUrl()}, which pools and drivers log: the user and
 * the password come from the URL's user-info, else its {@code user=} / {@code password=}
 * parameters, else the {@code PGUSER} / {@code PGPASSWORD} environment variables (as for {@code
 * psql}); the password is a {@link Secret}. Every other query parameter is handed to the driver
 * (pgjdbc) as a connection property, for example {@code sslmode=require} or {@code
 * currentSchema=switchboard}.
 *
 * <p>Parse errors name the part that is wrong but never repeat the user-info, so they are safe to
 * show and log.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port[,…]/database}, without credentials or
 *     parameters
 * @param database the database name
 * @param properties the URL's query parameters except {@code user} and {@code password}
 * @param user the role to log in as; null lets the driver choose (the OS user name)
 * @param password null when none was given (trust or peer authentication)
 */
public record PostgresUrl(
    String jdbcUrl,
    String database,
    Map<String, String> properties,
    @Nullable String user,
    @Nullable Secret password) {

  private static final List<String> SCHEMES = List.of("postgresql://", "postgres://");
  private static final int DEFAULT_PORT = 5432;
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.%a-z]+]");
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)([?&](?:password|sslpassword)=)[^&]*");

  public PostgresUrl {
    requireNonNull(jdbcUrl, "jdbcUrl");
    requireNonNull(database, "database");
    properties = Map.copyOf(properties);
  }

  /** Whether {@code url} is meant for PostgreSQL (starts with one of the two schemes). */
  public static boolean matches(String url) {
    return SCHEMES.stream()
        .anyMatch(scheme -> url.regionMatches(true, 0, scheme, 0, scheme.length()));
  }

  /**
   * Parses {@code url}, filling missing credentials from {@code env} ({@code PGUSER}, {@code
   * PGPASSWORD}).
   *
   * @throws IllegalArgumentException naming what is wrong; the message never contains the password
   */
  public static PostgresUrl parse(String url, Map<String, String> env) {
    if (!matches(url)) {
      throw new IllegalArgumentException(
          "a PostgreSQL url starts with postgresql:// or postgres://");
    }
    // User-info ends at the LAST '@', so a password holding '/', '?', ':' or '@' is never read as
    // host, database or parameters (whose text error messages may repeat). A literal '@' after the
    // host must therefore be written %40, as libpq also expects.
    String rest = url.substring(url.indexOf("://") + 3);
    int at = rest.lastIndexOf('@');
    String userInfo = at < 0 ? null : rest.substring(0, at);
    rest = rest.substring(at + 1);
    String query = "";
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    int slash = rest.indexOf('/');
    String hosts = hosts(slash < 0 ? rest : rest.substring(0, slash));
    String database = slash < 0 ? "" : decode(rest.substring(slash + 1), "database name");
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException(
          "the PostgreSQL url must name one database after the host, as in"
              + " postgresql://127.0.0.1:5432/switchboard");
    }

    String user = null;
    String password = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "password");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            "the PostgreSQL url's parameters must be name=value pairs joined by '&'");
      }
      String name = decode(pair.substring(0, equals), "parameter name");
      String value = decode(pair.substring(equals + 1), "value of parameter " + name);
      switch (name) {
        case "user" -> user = user == null ? value : user;
        case "password" -> password = password == null ? value : password;
        default -> properties.put(name, value);
      }
    }
    if (user == null || user.isEmpty()) {
      user = blankToNull(env.get("PGUSER"));
    }
    if (password == null) {
      password = env.get("PGPASSWORD");
    }
    return new PostgresUrl(
        "jdbc:postgresql://" + hosts + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8),
        database,
        properties,
        user,
        password == null ? null : Secret.of(password));
  }

  /**
   * {@code url} fit for logs and error messages: the password of any {@code
   * scheme://user:password@} URL and any {@code password=} or {@code sslpassword=} parameter become
   * {@code ***}.
   */
  public static String redact(String url) {
    String redacted = url;
    int schemeEnd = url.indexOf("://");
    // The same rule as parse: user-info runs to the last '@'. When that '@' was really in a
    // parameter, more than the password is hidden, never less.
    int at = url.lastIndexOf('@');
    int colon = schemeEnd < 0 ? -1 : url.indexOf(':', schemeEnd + 3);
    if (schemeEnd >= 0 && colon >= 0 && colon < at) {
      redacted = url.substring(0, colon + 1) + "***" + url.substring(at);
    }
    return SECRET_PARAMETER.matcher(redacted).replaceAll("$1***");
  }

  /** Validates {@code host[:port]} entries and adds the default port where one is missing. */
  private static String hosts(String hosts) {
    List<String> result = new ArrayList<>();
    for (String entry : hosts.split(",", -1)) {
      String host = entry;
      String port = String.valueOf(DEFAULT_PORT);
      int colon = entry.lastIndexOf(':');
      if (colon >= 0 && colon > entry.lastIndexOf(']')) {
        host = entry.substring(0, colon);
        port = entry.substring(colon + 1);
      }
      if (host.isEmpty()) {
        // libpq reads an empty host as "the Unix socket"; the JDBC driver speaks TCP only.
        throw new IllegalArgumentException(
            "the PostgreSQL url must name a host, as in postgresql://127.0.0.1:5432/switchboard"
                + " (Unix sockets are not supported)");
      }
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException("'" + host + "' is not a valid PostgreSQL host name");
      }
      if (!port.matches("[0-9]{1,5}")
          || Integer.parseInt(port) < 1
          || Integer.parseInt(port) > 65535) {
        throw new IllegalArgumentException(
            "PostgreSQL port '" + port + "' of host " + host + " must be a number from 1 to 65535");
      }
      result.add(host + ":" + port);
    }
    return String.join(",", result);
  }

  private static String decode(String text, String what) {
    try {
      // libpq decodes only %XX; URLDecoder would also turn '+' into a space, so '+' is protected.
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // Not chained: the decoder's message quotes the text, which may be the password.
      throw new IllegalArgumentException(
          "the PostgreSQL url's " + what.toLowerCase(Locale.ROOT) + " has a bad %-escape");
    }
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
