package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

/**
 * The HTTP listener.
 *
 * @param host interface to bind; default {@code 127.0.0.1} so a fresh install is not exposed
 * @param port default 8080
 * @param maxBodyBytes requests larger than this get 413; default 32 MiB (large enough for
 *     base64 images and 100k-token prompts)
 * @param instances server verticle instances; default one per core
 * @param timingHeader whether chat answers carry a {@code Server-Timing} header with the time each
 *     of the gateway's stages took and the upstream's; default true
 */
public record ServerConfig(String host, int port, long maxBodyBytes, int instances, boolean timingHeader) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
  public static final int DEFAULT_INSTANCES = Runtime.getRuntime().availableProcessors();

  public static final ServerConfig DEFAULTS =
      new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_INSTANCES, true);

  public ServerConfig {
    requireNonNull(host, "host");
  }
}
