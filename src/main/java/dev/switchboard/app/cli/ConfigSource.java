package dev.switchboard.app.cli;

import dev.switchboard.config.StorageConfig;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where a command finds its storage: the app passes its YAML config loader here, tests a lambda.
 */
@FunctionalInterface
public interface ConfigSource {
  /**
   * The storage settings from {@code configFile}, or the defaults when it is null.
   *
   * @throws RuntimeException with a precise message if the file cannot be read or is invalid
   */
  StorageConfig storageFor(@Nullable Path configFile);
}
