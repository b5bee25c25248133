package dev.switchboard.provider.transport;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs a request with AWS Signature Version 4 through the AWS SDK's {@link AwsV4HttpSigner}, so
 * the canonicalisation rules (double URI-encoding of the path for every service but S3, header
 * folding and sorting, the payload hash) are AWS's own rather than a re-implementation.
 *
 * <p>The one place the AWS SDK is used: the rest of the gateway sees only {@link
 * UpstreamAuth.SigV4} and Vert.x headers.
 */
final class AwsSigV4Signer {
  /** Stateless and thread-safe, per the SDK's contract for signers. */
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private AwsSigV4Signer() {}

  /**
   * Signs the request and adds the headers the signature needs ({@code x-amz-date}, {@code
   * authorization}, {@code x-amz-security-token}) to {@code headers}. The {@code host} the
   * signature covers is the URL's authority, which is what the HTTP client sends.
   */
  static void sign(
      UpstreamAuth.SigV4 credentials, MultiMap headers, HttpMethod method, String url, byte[] body, Clock clock) {
    // URI keeps the path as given (raw), so an escaped model id (%3A) is signed as it is sent.
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(method.name()))
        .uri(URI.create(url));
    for (Map.Entry<String, String> header : headers) {
      request.appendHeader(header.getKey(), header.getValue());
    }
    AwsCredentialsIdentity identity = credentials.sessionToken() == null
        ? AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey().reveal())
        : AwsSessionCredentialsIdentity.create(
            credentials.accessKeyId(), credentials.secretAccessKey().reveal(), credentials.sessionToken().reveal());
    SignedRequest signed = SIGNER.sign(r -> r
        .identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, credentials.service())
        .putProperty(AwsV4HttpSigner.REGION_NAME, credentials.region())
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      // The client derives Host from the URL itself; everything else the signer added must be sent.
      if (!header.getKey().equalsIgnoreCase("host")) {
        headers.set(header.getKey(), header.getValue());
      }
    }
  }
}
