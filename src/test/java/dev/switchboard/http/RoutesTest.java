package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesTest {
  private final Handler chat = exchange -> {};
  private final Handler models = exchange -> {};
  private final Handler endpoints = exchange -> {};
  private final Handler key = exchange -> {};

  private final Routes routes = new Routes()
      .add(HttpMethod.POST, "/v1/chat/completions", chat)
      .add(HttpMethod.GET, "/v1/models", models)
      .add(HttpMethod.GET, "/v1/models/{author}/{slug}/endpoints", endpoints)
      .add(HttpMethod.GET, "/api/v1/key", key);

  @Test
  void exactPaths() {
    assertThat(routes.match(HttpMethod.POST, "/v1/chat/completions").handler()).isSameAs(chat);
    assertThat(routes.match(HttpMethod.POST, "/v1/chat/completions").params()).isEmpty();
    assertThat(routes.match(HttpMethod.GET, "/v1/models").handler()).isSameAs(models);
    assertThat(routes.match(HttpMethod.GET, "/api/v1/key").handler()).isSameAs(key);
  }

  @Test
  void methodMatters() {
    assertThat(routes.match(HttpMethod.GET, "/v1/chat/completions")).isNull();
    assertThat(routes.match(HttpMethod.POST, "/v1/models")).isNull();
    assertThat(routes.match(HttpMethod.POST, "/v1/models/openai/gpt-4o/endpoints")).isNull();
  }

  @Test
  void trailingSlashIsIgnored() {
    assertThat(routes.match(HttpMethod.POST, "/v1/chat/completions/").handler()).isSameAs(chat);
    assertThat(routes.match(HttpMethod.GET, "/v1/models/openai/gpt-4o/endpoints/").handler()).isSameAs(endpoints);
  }

  @Test
  void templatedPathsBindTheirParameters() {
    Routes.Match match = routes.match(HttpMethod.GET, "/v1/models/openai/gpt-4o/endpoints");
    assertThat(match.handler()).isSameAs(endpoints);
    assertThat(match.params()).isEqualTo(Map.of("author", "openai", "slug", "gpt-4o"));
  }

  @Test
  void templatesNeedEverySegmentAndNonEmptyParameters() {
    assertThat(routes.match(HttpMethod.GET, "/v1/models/openai/endpoints")).isNull();
    assertThat(routes.match(HttpMethod.GET, "/v1/models/openai/gpt-4o/extra/endpoints")).isNull();
    assertThat(routes.match(HttpMethod.GET, "/v1/models/openai/gpt-4o/endpointz")).isNull();
    assertThat(routes.match(HttpMethod.GET, "/v1/models//gpt-4o/endpoints")).isNull();
    assertThat(routes.match(HttpMethod.GET, "/v1/models/openai//endpoints")).isNull();
  }

  @Test
  void unknownPaths() {
    assertThat(routes.match(HttpMethod.GET, "/")).isNull();
    assertThat(routes.match(HttpMethod.GET, "/v2/models")).isNull();
    assertThat(routes.match(HttpMethod.GET, "/v1/models/extra")).isNull();
    assertThat(routes.match(HttpMethod.GET, "/V1/MODELS")).isNull();
    assertThat(routes.match(HttpMethod.GET, "")).isNull();
    assertThat(routes.match(HttpMethod.OPTIONS, "*")).isNull();
  }

  @Test
  void knowsPathTellsAWrongMethodFromAnUnknownPath() {
    assertThat(routes.knowsPath("/v1/chat/completions")).isTrue();
    assertThat(routes.knowsPath("/v1/models/a/b/endpoints")).isTrue();
    assertThat(routes.knowsPath("/v1/nothing")).isFalse();
  }
}
