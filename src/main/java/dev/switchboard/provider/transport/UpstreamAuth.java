package dev.switchboard.provider.transport;

import static java.util.Objects.requireNonNull;

import dev.switchboard.config.Secret;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/** How a provider wants its credential presented. Applied by the transport after encoding. */
public sealed interface UpstreamAuth {

  /**
   * Adds the credential to a request about to be sent. Schemes that sign the request (SigV4) need
   * all of it; the others only touch {@code headers}.
   *
   * @param headers the request headers so far, changed in place; nothing may change them afterwards
   *     (a signature covers them)
   * @param url the absolute URL the request goes to, exactly as sent (path already escaped)
   * @param body the request body; read-only
   */
  void apply(MultiMap headers, HttpMethod method, String url, byte[] body);

  /**
   * {@code Authorization: Bearer KEY} (OpenAI and most compatible providers; also Amazon Bedrock
   * API keys, {@code AWS_BEARER_TOKEN_BEDROCK}, which Bedrock accepts instead of a SigV4 signature).
   */
  record Bearer(Secret key) implements UpstreamAuth {
    public Bearer {
      requireNonNull(key, "key");
    }

    @Override
    public void apply(MultiMap headers, HttpMethod method, String url, byte[] body) {
      headers.set("authorization", "Bearer " + key.reveal());
    }
  }

  /** The key in a named header ({@code x-api-key}, {@code api-key}). */
  record Header(String name, Secret key) implements UpstreamAuth {
    public Header {
      requireNonNull(name, "name");
      requireNonNull(key, "key");
    }

    @Override
    public void apply(MultiMap headers, HttpMethod method, String url, byte[] body) {
      headers.set(name, key.reveal());
    }
  }

  /**
   * An account's own key (BYOK), presented as {@code credential} says. A wrapper so routing and
   * accounting can tell such an attempt from one on the operator's shared credentials: its
   * failures say nothing about the endpoint's health, and its cost is the BYOK fee.
   */
  record Byok(UpstreamAuth credential) implements UpstreamAuth {
    public Byok {
      requireNonNull(credential, "credential");
    }

    @Override
    public void apply(MultiMap headers, HttpMethod method, String url, byte[] body) {
      credential.apply(headers, method, url, body);
    }

    @Override
    public String toString() {
      return "Byok[***]";
    }
  }

  /** No credential (local servers). */
  record None() implements UpstreamAuth {
    @Override
    public void apply(MultiMap headers, HttpMethod method, String url, byte[] body) {}
  }

  /**
   * AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
   * computed by the AWS SDK's own signer: adds {@code x-amz-date}, {@code authorization} and, for
   * temporary credentials, {@code x-amz-security-token}. Every header present when it is applied
   * is signed, so it must be the last change to the request.
   *
   * @param accessKeyId the access key id ({@code AKIA…}, or {@code ASIA…} for temporary
   *     credentials); an identifier that appears in every signed request, not a secret
   * @param secretAccessKey the secret key, never sent
   * @param sessionToken the session token of temporary (STS) credentials, or null
   * @param region the region the endpoint is in ({@code us-east-1})
   * @param service the signing name of the service ({@code bedrock} for Bedrock Runtime)
   */
  record SigV4(
      String accessKeyId, Secret secretAccessKey, @Nullable Secret sessionToken, String region, String service)
      implements UpstreamAuth {
    /** The signing name of Amazon Bedrock, including its {@code bedrock-runtime} endpoints. */
    public static final String BEDROCK = "bedrock";

    public SigV4 {
      requireNonBlank(accessKeyId, "accessKeyId");
      requireNonNull(secretAccessKey, "secretAccessKey");
      requireNonBlank(region, "region");
      requireNonBlank(service, "service");
    }

    /** Credentials for Amazon Bedrock in {@code region}. */
    public static SigV4 bedrock(
        String accessKeyId, Secret secretAccessKey, @Nullable Secret sessionToken, String region) {
      return new SigV4(accessKeyId, secretAccessKey, sessionToken, region, BEDROCK);
    }

    @Override
    public void apply(MultiMap headers, HttpMethod method, String url, byte[] body) {
      AwsSigV4Signer.sign(this, headers, method, url, body, Clock.systemUTC());
    }

    private static void requireNonBlank(@Nullable String value, String name) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
    }
  }
}
