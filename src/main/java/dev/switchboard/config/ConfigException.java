package dev.switchboard.config;

/**
 * A configuration problem, with a message that names the file, the line and what is wrong, so
 * start-up can print it and stop.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
