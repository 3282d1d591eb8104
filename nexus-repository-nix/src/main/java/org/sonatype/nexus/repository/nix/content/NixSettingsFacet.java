package org.sonatype.nexus.repository.nix.content;

import java.io.IOException;

import javax.annotation.Nullable;
import javax.inject.Named;
import javax.validation.constraints.Max;
import javax.validation.constraints.Min;
import javax.validation.constraints.NotNull;
import javax.validation.constraints.Pattern;

import org.sonatype.nexus.repository.Facet;
import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.config.Configuration;
import org.sonatype.nexus.repository.config.ConfigurationFacet;
import org.sonatype.nexus.repository.nix.http.NixRequestException;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NixCacheInfo;
import org.sonatype.nexus.repository.view.Payload;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The repository's {@code nix} configuration section: the settings every Nix repository type shares.
 * Type-specific settings (proxy upstreams, signing, ...) are read by the facets that use them.
 */
@Named
@Facet.Exposed
public class NixSettingsFacet
    extends FacetSupport
{
  public static final String SECTION = "nix";

  public static final String DEFAULT_STORE_DIR = "/nix/store";

  /**
   * Hosted and group repositories default ahead of cache.nixos.org (40), so private builds win.
   */
  public static final int DEFAULT_PRIORITY = 30;

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Config
  {
    @NotNull
    @Pattern(regexp = "/([^/\\x00-\\x1f]+/)*[^/\\x00-\\x1f]+", message = "must be an absolute directory path without a trailing slash")
    public String storeDir = DEFAULT_STORE_DIR;

    @NotNull
    @Min(0)
    @Max(10000)
    public Integer priority;

    /** Hosted: decompress every uploaded NAR and check NarHash/NarSize before its narinfo is visible. */
    @NotNull
    public Boolean verifyNarHash = Boolean.TRUE;

    /** Hosted: refuse a narinfo whose references are not all in the repository. */
    @NotNull
    public Boolean requireCompleteClosure = Boolean.TRUE;

    /** Cleanup keeps at least the newest this many snapshots of each channel; null: no minimum. */
    @Min(0)
    public Integer channelSnapshotsToKeep;

    /** Proxy and group: what a client gets when an upstream fails; null: {@link WhenUpstreamFails#ERROR}. */
    @Pattern(regexp = WhenUpstreamFails.VALUES, message = WhenUpstreamFails.INVALID)
    public String whenUpstreamFails;
  }

  private Config config;

  @Override
  protected void doValidate(final Configuration configuration) throws Exception {
    facet(ConfigurationFacet.class).validateSection(configuration, SECTION, Config.class);
  }

  @Override
  protected void doConfigure(final Configuration configuration) throws Exception {
    config = facet(ConfigurationFacet.class).readSection(configuration, SECTION, Config.class);
    if (config.priority == null) {
      config.priority = defaultPriority();
    }
  }

  @Override
  protected void doDestroy() throws Exception {
    config = null;
  }

  private int defaultPriority() {
    return "proxy".equals(getRepository().getType().getValue()) ? 40 : DEFAULT_PRIORITY;
  }

  /** Configuration numbers come back from JSON as whatever Number type the store chose. */
  public static Integer intValue(final Object value) {
    return value instanceof Number ? ((Number) value).intValue() : null;
  }

  public String storeDir() {
    return config.storeDir;
  }

  public int priority() {
    return config.priority;
  }

  public boolean verifyNarHash() {
    return config.verifyNarHash;
  }

  public boolean requireCompleteClosure() {
    return config.requireCompleteClosure;
  }

  public WhenUpstreamFails whenUpstreamFails() {
    return WhenUpstreamFails.of(config.whenUpstreamFails);
  }

  @Nullable
  public Integer channelSnapshotsToKeep() {
    return config.channelSnapshotsToKeep;
  }

  /**
   * Nix PUTs {@code nix-cache-info} when it thinks the cache is new. The file is always synthesised from the
   * settings, so the upload is only checked: a different store dir means the client's store is not this one.
   */
  public void checkUploadedCacheInfo(final Payload payload) throws IOException {
    NixCacheInfo uploaded = NixCacheInfo.parse(UploadBodies.readText(payload, 64 * 1024, "nix-cache-info"));
    if (uploaded.storeDir().isPresent() && !uploaded.storeDir().get().equals(config.storeDir)) {
      throw NixRequestException.badRequest("StoreDir: '" + uploaded.storeDir().get()
          + "' does not match this repository's store dir '" + config.storeDir + "'");
    }
  }

  /**
   * What {@code GET nix-cache-info} answers: synthesised from the settings for every repository type,
   * never taken from an upload or an upstream.
   */
  public NixCacheInfo cacheInfo() {
    return NixCacheInfo.of(config.storeDir, true, config.priority);
  }
}
