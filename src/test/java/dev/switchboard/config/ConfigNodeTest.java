package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.Pricing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ConfigNode} and {@link LocatedYaml} on their own: typed reads, located errors, lines. */
class ConfigNodeTest {
  private final List<String> warnings = new ArrayList<>();

  private ConfigNode root(String yaml, Map<String, String> env) {
    return ConfigNode.root(new ConfigNode.Context("f.yaml", LocatedYaml.parse("f.yaml", yaml), env, warnings));
  }

  @Test
  void readTurnsAnIllegalArgumentIntoALocatedError() {
    ConfigNode root = root("a:\n  b:\n    prompt: \"-1\"\n", Map.of());
    ConfigNode b = root.object("a").object("b");
    assertThat(b.pointer()).isEqualTo("/a/b");
    assertThatThrownBy(() -> b.read("", node -> Pricing.of(node.decimal("prompt"), BigDecimal.ZERO)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("f.yaml:2: price 'prompt' must not be negative, was -1 (at a.b)");
    assertThatThrownBy(() -> b.read("prompt", node -> Pricing.of(node.decimal("prompt"), BigDecimal.ZERO)))
        .hasMessage("f.yaml:3: price 'prompt' must not be negative, was -1 (at a.b.prompt)");
    BigDecimal raw = b.read("", node -> node.decimal("prompt"));
    assertThat(raw).isEqualByComparingTo("-1");
  }

  @Test
  void typedReads() {
    ConfigNode root = root(
        """
        n: 1_000
        s: "x"
        list: [a, "${V}"]
        big: 2GiB
        plain: 1024
        dur: 3s
        flag: off
        dec: 0.0000001
        """, Map.of("V", "v"));
    assertThat(root.integer("n")).isEqualTo(1000);
    assertThat(root.integer("missing")).isNull();
    assertThat(root.integer("missing", 7, 0, 10)).isEqualTo(7);
    assertThat(root.string("s")).isEqualTo("x");
    assertThat(root.string("missing", "d")).isEqualTo("d");
    assertThat(root.strings("list")).containsExactly("a", "v");
    assertThat(root.strings("missing")).isNull();
    assertThat(root.bytes("big", 0)).isEqualTo(2L * 1024 * 1024 * 1024);
    assertThat(root.bytes("plain", 0)).isEqualTo(1024);
    assertThat(root.duration("dur", java.time.Duration.ZERO)).hasSeconds(3);
    assertThat(root.bool("flag", true)).isFalse();
    assertThat(root.decimal("dec")).isEqualByComparingTo("0.0000001");
    assertThat(root.has("s")).isTrue();
    assertThat(root.has("missing")).isFalse();
    assertThat(root.entries("missing")).isEmpty();
    assertThat(root.objects("missing")).isEmpty();
    assertThat(root.stringMap("missing")).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void allowOnlyNamesTheUnknownKeyAndItsLine() {
    ConfigNode root = root("a: 1\n\nzz: 2\n", Map.of());
    assertThatThrownBy(() -> root.allowOnly(Set.of("a", "b")))
        .hasMessage("f.yaml:3: unknown setting 'zz'; expected one of [a, b] (at zz)");
  }

  @Test
  void listOfStringsRejectsNestedValues() {
    ConfigNode root = root("list:\n  - a\n  - {b: 1}\n", Map.of());
    assertThatThrownBy(() -> root.strings("list"))
        .hasMessageStartingWith("f.yaml:1: 'list' must be a list of strings");
  }

  @Test
  void locatedYamlRecordsTheLineOfEveryNode() {
    LocatedYaml yaml = LocatedYaml.parse(
        "f.yaml",
        """
        # comment
        top:
          list:
            - first
            - key: value
              other: 2
          "a/b": x
          "c~d": y
        """);
    assertThat(yaml.lineOf("")).isEqualTo(2);
    assertThat(yaml.lineOf("/top")).isEqualTo(2);
    assertThat(yaml.lineOf("/top/list")).isEqualTo(3);
    assertThat(yaml.lineOf("/top/list/0")).isEqualTo(4);
    assertThat(yaml.lineOf("/top/list/1")).isEqualTo(5);
    assertThat(yaml.lineOf("/top/list/1/other")).isEqualTo(6);
    assertThat(yaml.lineOf("/top/a~1b")).isEqualTo(7);
    assertThat(yaml.lineOf("/top/c~0d")).isEqualTo(8);
    // Unknown pointers fall back to the nearest located ancestor.
    assertThat(yaml.lineOf("/top/list/1/missing")).isEqualTo(5);
    assertThat(yaml.lineOf("/nothing")).isEqualTo(2);
    assertThat(yaml.root().path("top").path("a/b").asText()).isEqualTo("x");
  }

  @Test
  void emptyDocumentIsAnEmptyMapping() {
    LocatedYaml yaml = LocatedYaml.parse("f.yaml", "");
    assertThat(yaml.root().isObject()).isTrue();
    assertThat(yaml.root().isEmpty()).isTrue();
    assertThat(yaml.lineOf("/x")).isZero();
  }
}
