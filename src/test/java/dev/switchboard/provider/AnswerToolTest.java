package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import org.junit.jupiter.api.Test;

class AnswerToolTest {

  @Test
  void aJsonFormatNamesItsTextFormatNeedsNone() {
    RawJson schema = RawJson.of("{\"type\":\"object\"}");
    assertThat(AnswerTool.nameFor(new ResponseFormat.JsonObject())).isEqualTo("json_answer");
    assertThat(AnswerTool.nameFor(new ResponseFormat.JsonSchema("weather", null, schema, true)))
        .isEqualTo("json_answer_weather");
    assertThat(AnswerTool.nameFor(new ResponseFormat.Text())).isNull();
    assertThat(AnswerTool.nameFor(null)).isNull();
  }

  @Test
  void aSchemaNameIsKeptWithinTheToolNamePattern() {
    assertThat(AnswerTool.name("my schema/v2!")).isEqualTo("json_answer_my_schema_v2_");
    assertThat(AnswerTool.name("x".repeat(80))).hasSize(64).matches("[a-zA-Z0-9_-]{1,64}");
    assertThat(AnswerTool.name(" ")).isEqualTo("json_answer");
    assertThat(AnswerTool.name(null)).isEqualTo("json_answer");
  }

  @Test
  void recognisesTheAnswerToolAndItsVariantsOnly() {
    assertThat(AnswerTool.isAnswer("json_answer")).isTrue();
    assertThat(AnswerTool.isAnswer("json_answer_weather")).isTrue();
    assertThat(AnswerTool.isAnswer("json_answers")).isFalse();
    assertThat(AnswerTool.isAnswer("get_weather")).isFalse();
    assertThat(AnswerTool.isAnswer(null)).isFalse();
  }
}
