package dev.syncline.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

/** The one assertion every refusal must pass: status, errno and reason in the Kinto error body. */
public final class KintoErrors {
  private KintoErrors() {
  }

  public static void assertKintoError(HttpResponse<String> response, int status, int errno, String error) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject body = Http.json(response);
    assertThat(body.getInteger("code")).isEqualTo(status);
    assertThat(body.getInteger("errno")).as(response.body()).isEqualTo(errno);
    assertThat(body.getString("error")).isEqualTo(error);
    assertThat(body.getString("message")).isNotBlank();
  }
}
