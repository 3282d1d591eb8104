package org.sonatype.nexus.repository.nix.ui;

import javax.annotation.Priority;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.rapture.UiPluginDescriptorSupport;

/**
 * Puts the plugin's ExtJS code ({@code static/rapture/NX/nix}: the repository forms, Search > Nix, asset links) into
 * Nexus's UI. The id must be the artifactId: the UI loads {@code static/rapture/<id>-prod.js} and
 * {@code static/rapture/resources/<id>-prod.css}, which the build names after the artifact.
 *
 * <p>Deprecated in 3.71 in favour of the React descriptor, which has no extension point for repository forms; every
 * format plugin for 3.71 still contributes its forms this way.
 */
@Named
@Singleton
@Priority(Integer.MAX_VALUE - 200)
@SuppressWarnings("deprecation")
public class UiPluginDescriptorImpl
    extends UiPluginDescriptorSupport
{
  public static final String PLUGIN_ID = "nexus-repository-nix";

  public UiPluginDescriptorImpl() {
    super(PLUGIN_ID);
    setNamespace("NX.nix");
    setConfigClassName("NX.nix.app.PluginConfig");
  }
}
