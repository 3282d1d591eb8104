package org.sonatype.nexus.repository.nix.proxy;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import javax.annotation.Nullable;
import javax.inject.Inject;
import javax.inject.Named;

import org.sonatype.nexus.common.sequence.FibonacciNumberSequence;
import org.sonatype.nexus.common.sequence.NumberSequence;
import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.ConfigurationFacet;
import org.sonatype.nexus.repository.httpclient.AutoBlockConfiguration;
import org.sonatype.nexus.repository.httpclient.HttpClientFacet;
import org.sonatype.nexus.repository.httpclient.RemoteBlockedIOException;
import org.sonatype.nexus.repository.httpclient.RemoteConnectionStatus;
import org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusEvent;
import org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusType;
import org.sonatype.nexus.repository.nix.NixFormat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.conn.ConnectionPoolTimeoutException;
import org.apache.http.impl.EnglishReasonPhraseCatalog;
import org.joda.time.DateTime;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusType.AUTO_BLOCKED_UNAVAILABLE;
import static org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusType.AVAILABLE;
import static org.sonatype.nexus.repository.httpclient.RemoteConnectionStatusType.UNAVAILABLE;

/**
 * Blocking and auto-blocking of a Nix proxy, for every upstream host: the {@link UpstreamGate} of the proxy's one
 * way out, {@link UpstreamRequests}, through which every request to an upstream goes (the binary cache, where its
 * narinfos say the NARs are, the channels host and the releases it redirects to, the flake registry), each redirect
 * hop included.
 *
 * A proxy has up to three upstream hosts, and Nexus's own HTTP client blocks (by configuration or automatically)
 * only the first host it is asked for. Here the repository's {@code httpclient.blocked} flag and its auto-block
 * state are checked before every request to any host: a blocked repository makes no connection attempt. Outcomes of
 * requests to every host are recorded in the repository's remote connection status, Nexus's own
 * ({@link HttpClientFacet#getStatus()}, shown in the UI's repository list), with Nexus's rule for what counts as a
 * failure ({@link AutoBlockConfiguration}) and its schedule (blocked for 40 s, then longer as failures go on).
 */
@Named
@Facet.Exposed
public class NixUpstreamGateFacet
    extends FacetSupport
    implements UpstreamGate
{
  /** Nexus's own client starts auto-blocking at 40 s and grows the time as a Fibonacci sequence. */
  static final long FIRST_AUTO_BLOCK_MILLIS = 40_000L;

  private static final String HTTP_CLIENT_SECTION = "httpclient";

  @JsonIgnoreProperties(ignoreUnknown = true)
  static class Config
  {
    @Nullable
    public Boolean blocked;

    @Nullable
    public Boolean autoBlock;
  }

  private final Map<String, AutoBlockConfiguration> autoBlockConfigurations;

  private final NumberSequence autoBlockTimes = new FibonacciNumberSequence(FIRST_AUTO_BLOCK_MILLIS);

  private volatile boolean blocked;

  private volatile boolean autoBlock;

  @Inject
  public NixUpstreamGateFacet(final Map<String, AutoBlockConfiguration> autoBlockConfigurations) {
    this.autoBlockConfigurations = checkNotNull(autoBlockConfigurations);
  }

  @Override
  protected void doConfigure(final Configuration configuration) throws Exception {
    Config config = facet(ConfigurationFacet.class).readSection(configuration, HTTP_CLIENT_SECTION, Config.class);
    blocked = Boolean.TRUE.equals(config.blocked);
    autoBlock = Boolean.TRUE.equals(config.autoBlock);
    // Nexus makes a new HTTP client, with a fresh status, whenever the configuration changes
    synchronized (this) {
      autoBlockTimes.reset();
    }
  }

  @Override
  public void answered(final HttpUriRequest request, final HttpResponse response) {
    int status = response.getStatusLine().getStatusCode();
    if (autoBlockConfiguration().shouldBlock(status)) {
      String reason = EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ENGLISH);
      recordFailure(request, reason != null ? reason : "HTTP status " + status, status);
    }
    else {
      recordSuccess();
    }
  }

  @Override
  public void failed(final HttpUriRequest request, final IOException e) {
    if (e instanceof RemoteBlockedIOException || e instanceof ConnectionPoolTimeoutException) {
      // Nexus's client refused (for its first host) or no local connection was free: not the remote's failure
      return;
    }
    recordFailure(request, e.getClass().getName() + ": " + e.getMessage(), null);
  }

  /** Whether an administrator blocked the remote (offline mode): only what is cached exists. */
  public boolean blockedByConfiguration() {
    return blocked;
  }

  /**
   * @throws RemoteBlockedIOException if no request may go out now (blocked by configuration or auto-blocked), saying
   *                                  why
   */
  @Override
  public void checkOpen() throws RemoteBlockedIOException {
    if (blocked) {
      throw new RemoteBlockedIOException("this proxy's remote is blocked by configuration (offline mode)");
    }
    Optional<String> autoBlocked = autoBlock ? autoBlockedNow(httpClient().getStatus(), DateTime.now()) : Optional.empty();
    if (autoBlocked.isPresent()) {
      throw new RemoteBlockedIOException(autoBlocked.get());
    }
  }

  /**
   * Seconds until the auto-block runs out, if the remote is auto-blocked now: a client's {@code Retry-After}.
   */
  public OptionalInt secondsAutoBlocked() {
    return autoBlock ? secondsUntilUnblocked(httpClient().getStatus(), DateTime.now()) : OptionalInt.empty();
  }

  /**
   * @return whole seconds (at least 1) until an auto-block that has not run out ends
   */
  static OptionalInt secondsUntilUnblocked(final RemoteConnectionStatus status, final DateTime now) {
    DateTime until = status.getBlockedUntil();
    if (status.getType() != AUTO_BLOCKED_UNAVAILABLE || until == null || !until.isAfter(now)) {
      return OptionalInt.empty();
    }
    long millis = until.getMillis() - now.getMillis();
    return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Math.max(1, (millis + 999) / 1000)));
  }

  /**
   * @return why requests are refused now, if the status is an auto-block that has not run out
   */
  static Optional<String> autoBlockedNow(final RemoteConnectionStatus status, final DateTime now) {
    DateTime until = status.getBlockedUntil();
    if (status.getType() != AUTO_BLOCKED_UNAVAILABLE || until == null || !until.isAfter(now)) {
      return Optional.empty();
    }
    StringBuilder reason = new StringBuilder("this proxy's remote is auto-blocked until ").append(until);
    if (status.getReason() != null) {
      reason.append(" after ").append(status.getReason());
      if (status.getRequestUrl() != null) {
        reason.append(" for ").append(status.getRequestUrl());
      }
    }
    return Optional.of(reason.toString());
  }

  private synchronized void recordFailure(final HttpUriRequest request, final String reason,
                                          @Nullable final Integer statusCode)
  {
    RemoteConnectionStatus current = httpClient().getStatus();
    afterFailure(current, autoBlock, autoBlockTimes, DateTime.now(), reason)
        .ifPresent(next -> change(current, next.setRequestUrl(request.getURI().toString()).setStatusCode(statusCode)));
  }

  /**
   * The status after a failed request: auto-blocked for the next time of the sequence (unless an auto-block is
   * already in force: requests that were under way when it began change nothing), or, without auto-blocking,
   * unavailable.
   *
   * @return empty if the status stays as it is
   */
  static Optional<RemoteConnectionStatus> afterFailure(final RemoteConnectionStatus current, final boolean autoBlock,
                                                       final NumberSequence autoBlockTimes, final DateTime now,
                                                       final String reason)
  {
    if (!autoBlock) {
      return current.getType() == UNAVAILABLE
          ? Optional.empty()
          : Optional.of(new RemoteConnectionStatus(UNAVAILABLE, reason));
    }
    if (autoBlockedNow(current, now).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new RemoteConnectionStatus(AUTO_BLOCKED_UNAVAILABLE, reason)
        .setBlockedUntil(now.plus(autoBlockTimes.next())));
  }

  private synchronized void recordSuccess() {
    RemoteConnectionStatus current = httpClient().getStatus();
    Optional<RemoteConnectionStatus> next = afterSuccess(current, DateTime.now());
    if (next.isPresent()) {
      autoBlockTimes.reset();
      change(current, next.get());
    }
  }

  /**
   * The status after a request that worked: available, unless an auto-block began while it was under way.
   *
   * @return empty if the status stays as it is
   */
  static Optional<RemoteConnectionStatus> afterSuccess(final RemoteConnectionStatus current, final DateTime now) {
    if (current.getType() == AVAILABLE || autoBlockedNow(current, now).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new RemoteConnectionStatus(AVAILABLE));
  }

  /** Records the new status where Nexus keeps it, logs and announces the change as Nexus does for its own. */
  private void change(final RemoteConnectionStatus from, final RemoteConnectionStatus to) {
    httpClient().setStatus(to);
    RemoteConnectionStatusType type = to.getType();
    if (type == AVAILABLE) {
      log.info("Repository status for {} changed from {} to {}", getRepository().getName(), from.getType(), type);
    }
    else {
      log.info("Repository status for {} changed from {} to {}{} - reason {} for {}", getRepository().getName(),
          from.getType(), type, to.getBlockedUntil() != null ? " until " + to.getBlockedUntil() : "",
          to.getReason(), to.getRequestUrl());
    }
    getEventManager().post(new RemoteConnectionStatusEvent(to, getRepository()));
  }

  private AutoBlockConfiguration autoBlockConfiguration() {
    AutoBlockConfiguration configuration = autoBlockConfigurations.get(NixFormat.NAME);
    return configuration != null ? configuration : autoBlockConfigurations.get("default");
  }

  private HttpClientFacet httpClient() {
    return facet(HttpClientFacet.class);
  }
}
