package org.sonatype.nexus.repository.nix.usage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sonatype.nexus.repository.nix.usage.NixUsagePageHandler.acceptsHtml;

class NixUsagePageHandlerTest
{
  @Test
  void aBrowserAsksForHtml() {
    assertThat(acceptsHtml("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8")).isTrue();
    assertThat(acceptsHtml("TEXT/HTML")).isTrue();
  }

  @Test
  void nixCurlAndScriptsDoNot() {
    assertThat(acceptsHtml("*/*")).isFalse();
    assertThat(acceptsHtml("")).isFalse();
    assertThat(acceptsHtml("text/plain, application/json")).isFalse();
    assertThat(acceptsHtml("application/xhtml+xml")).isFalse();
  }

  @Test
  void htmlRefusedWithQualityZeroIsNotAsked() {
    assertThat(acceptsHtml("text/html;q=0, */*")).isFalse();
    assertThat(acceptsHtml("text/html; q=0.0")).isFalse();
    assertThat(acceptsHtml("text/html;q=0.1")).isTrue();
  }
}
