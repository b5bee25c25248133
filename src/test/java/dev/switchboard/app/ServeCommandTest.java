package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link ServeCommand#parseSimple}: the server's command line read without picocli, and what it leaves to picocli. */
class ServeCommandTest {

  @Test
  void readsTheConfigOptionInEachOfItsForms() {
    assertThat(ServeCommand.parseSimple("serve").config).isNull();
    assertThat(ServeCommand.parseSimple("serve", "--config", "a.yaml").config).isEqualTo(Path.of("a.yaml"));
    assertThat(ServeCommand.parseSimple("serve", "-c", "a.yaml").config).isEqualTo(Path.of("a.yaml"));
    assertThat(ServeCommand.parseSimple("serve", "--config=a.yaml").config).isEqualTo(Path.of("a.yaml"));
  }

  @Test
  void leavesEverythingElseToPicocli() {
    assertThat(ServeCommand.parseSimple()).isNull();
    assertThat(ServeCommand.parseSimple("keys", "list")).isNull();
    assertThat(ServeCommand.parseSimple("serve", "--help")).isNull();
    assertThat(ServeCommand.parseSimple("serve", "--config")).isNull();
    assertThat(ServeCommand.parseSimple("serve", "--config", "--help")).isNull();
    assertThat(ServeCommand.parseSimple("serve", "--config=")).isNull();
    assertThat(ServeCommand.parseSimple("serve", "a.yaml")).isNull();
    assertThat(ServeCommand.parseSimple("serve", "-c", "a.yaml", "--verbose")).isNull();
  }

  @Test
  void picocliReadsTheSameCommandLinesTheSameWay() {
    for (String[] args : new String[][] {{"serve"}, {"serve", "--config", "a.yaml"}, {"serve", "-c", "b.yaml"},
        {"serve", "--config=c.yaml"}}) {
      ServeCommand picocli = new ServeCommand();
      new CommandLine(picocli).parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
      assertThat(ServeCommand.parseSimple(args).config).as(String.join(" ", args)).isEqualTo(picocli.config);
    }
  }
}
