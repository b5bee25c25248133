package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jdk.sh, which bin/switchboard and bin/test source to find a JDK 25 or newer: it reads the
 * JDK's {@code release} file with bash alone (no JVM start, no external command), so its parsing is
 * checked here against fake JDKs whose {@code java} only exits.
 */
class JdkScriptTest {
  private static final Path SCRIPT = Path.of("bin", "jdk.sh").toAbsolutePath();

  @TempDir Path dir;

  private Path fakeJdk(String name, String release) throws IOException {
    Path home = dir.resolve(name);
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve("release"), release);
    return home;
  }

  /** Runs {@code commands} in bash with the callers' options, jdk.sh sourced; returns its stdout. */
  private String bash(String commands) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "-c",
        "set -euo pipefail; . '" + SCRIPT + "'; " + commands).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  @Test
  void theFeatureReleaseIsReadFromTheReleaseFile() throws Exception {
    Path jdk = fakeJdk("jdk", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n"
        + "JAVA_VERSION=\"25.0.3\"\nOS_NAME=\"Linux\"\n");
    Path noNewline = fakeJdk("no-newline", "JAVA_VERSION=\"26\"");

    assertThat(bash("java_major '" + jdk + "/bin/java'; echo \"$JAVA_MAJOR\"")).isEqualTo("25");
    assertThat(bash("java_major '" + noNewline + "/bin/java'; echo \"$JAVA_MAJOR\"")).isEqualTo("26");
  }

  @Test
  void aJdkOlderThan25IsPassedOverAndJavaHomeIsTheFirstThatIsNot() throws Exception {
    Path old = fakeJdk("old", "JAVA_VERSION=\"17.0.12\"\n");
    Path current = fakeJdk("current", "JAVA_VERSION=\"25.0.1\"\n");

    assertThat(bash("if jdk_ok '" + old + "'; then echo taken; else echo refused; fi")).isEqualTo("refused");
    assertThat(bash("JAVA_HOME='" + current + "'; find_jdk; echo \"$JAVA_HOME\""))
        .isEqualTo(current.toString());
  }
}
