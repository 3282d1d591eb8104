package org.sonatype.nexus.repository.nix.http;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

import org.sonatype.nexus.common.app.FrozenException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceUnavailabilityTest
{
  @Test
  void readOnlyModeIsA503WithAMinuteToWait() {
    NixRequestException answer = ServiceUnavailability.of(
        new IllegalStateException("save failed", new FrozenException("INSERT is not allowed while the application is frozen")))
        .orElseThrow();

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.retryAfterSeconds()).isEqualTo(60);
    assertThat(answer).hasMessage("Nexus Repository is in read-only mode (INSERT is not allowed while the application"
        + " is frozen); nothing was changed, try again later");
  }

  @Test
  void aLockTimeoutDeepInTheCausesIsA503WithSecondsToWait() {
    // what MyBatis and Nexus's data layer wrap around H2's lock timeout (a java.sql.SQLTimeoutException)
    RuntimeException failure = new RuntimeException("### Error updating database",
        new RuntimeException(new SQLTimeoutException("Timeout trying to lock table \"NIX_ASSET\"", "HYT00", 50200)));

    NixRequestException answer = ServiceUnavailability.of(failure).orElseThrow();

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.retryAfterSeconds()).isEqualTo(5);
    assertThat(answer.getMessage()).startsWith("the database is busy (Timeout trying to lock table");
    assertThat(answer.getCause()).isSameAs(failure);
  }

  @Test
  void noFreeConnectionIsA503() {
    assertThat(ServiceUnavailability.of(new SQLTransientConnectionException("nexus - Connection is not available,"
        + " request timed out after 30000ms."))).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(503));
  }

  @ParameterizedTest(name = "SQL state {0}")
  @ValueSource(strings = {"40001", "40P01", "55P03", "57014", "08006"})
  void conflictsTimeoutsAndLostConnectionsByTheirSqlStateAre503s(final String state) {
    assertThat(ServiceUnavailability.of(new RuntimeException(new SQLException("from PostgreSQL", state))))
        .hasValueSatisfying(e -> assertThat(e.retryAfterSeconds()).isEqualTo(5));
  }

  @ParameterizedTest(name = "SQL state {0}")
  @ValueSource(strings = {"23505", "42P01", "22001"})
  void constraintViolationsAndBadStatementsAreNot(final String state) {
    assertThat(ServiceUnavailability.of(new RuntimeException(new SQLException("from PostgreSQL", state)))).isEmpty();
  }

  @Test
  void aFullFileSystemIsA507WithoutRetryAfter() {
    // a real ENOSPC: /dev/full takes no bytes
    IOException full = null;
    try (FileOutputStream out = new FileOutputStream("/dev/full")) {
      out.write(new byte[8192]);
      out.flush();
    }
    catch (IOException e) {
      full = e;
    }
    assertThat(full).isNotNull();

    NixRequestException answer = ServiceUnavailability.of(new UncheckedIOException("blob store write failed", full))
        .orElseThrow();

    assertThat(answer.status()).isEqualTo(507);
    assertThat(answer.retryAfterSeconds()).isZero();
    assertThat(answer.getMessage()).startsWith("the blob store has no space left (");
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(ServiceUnavailability.of(new IOException("Broken pipe"))).isEmpty();
    assertThat(ServiceUnavailability.of(new IllegalStateException("a bug"))).isEmpty();
    assertThat(ServiceUnavailability.of(new NullPointerException())).isEmpty();
  }
}
