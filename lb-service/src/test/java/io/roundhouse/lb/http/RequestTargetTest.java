package io.roundhouse.lb.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/a/b?c=d&e=%20",
        "/q?a[]=1&b={x}|y^z`w\\v",
        "/~user/it's(1)*+,;=:@!$",
        "http://example.com:8080/x",
        "HTTPS://[::1]/x"
      })
  void shouldAcceptTargetWhenItIsOriginOrAbsoluteForm(String target) {
    assertThat(RequestTarget.validTarget(HttpMethod.GET, target)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "x",
        "*",
        "example.com:443",
        "ftp://example.com/",
        "/a b",
        "/a%",
        "/a%4",
        "/a%4g",
        "/a#b",
        "/a\"b",
        "/a<b",
        "/a>b",
        "/a\tb",
        "/caf\u00e9"
      })
  void shouldRefuseTargetWhenItIsNotAValidOriginOrAbsoluteForm(String target) {
    assertThat(RequestTarget.validTarget(HttpMethod.GET, target)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"*"})
  void shouldAcceptAsteriskWhenMethodIsOptions(String target) {
    assertThat(RequestTarget.validTarget(HttpMethod.OPTIONS, target)).isTrue();
  }
}
